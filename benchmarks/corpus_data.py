"""The benchmark corpus's fixed vocabulary: registries of sources and places, regions,
actors, tags, authors and the words sentences are drawn from (used by corpus.py).

Kept apart from the generator so that corpus.py reads as the procedure; changing any
list here changes every corpus generated from it.
"""

# ---------------------------------------------------------------- registries

# id: (name, url or "", reliability, credibility, region)
SOURCES = [
    ("reuters", "Reuters", "https://www.reuters.com", "A", "2", "any"),
    ("ap", "Associated Press", "https://apnews.com", "A", "2", "any"),
    ("afp", "Agence France-Presse", "https://www.afp.com", "A", "2", "any"),
    ("bbc", "BBC News", "https://www.bbc.com/news", "B", "2", "any"),
    ("ft", "Financial Times", "https://www.ft.com", "B", "2", "any"),
    ("nyt", "The New York Times", "https://www.nytimes.com", "B", "2", "any"),
    ("wapo", "The Washington Post", "https://www.washingtonpost.com", "B", "2", "any"),
    ("guardian", "The Guardian", "https://www.theguardian.com", "B", "2", "any"),
    ("economist", "The Economist", "https://www.economist.com", "B", "3", "any"),
    ("isw", "Institute for the Study of War", "https://www.understandingwar.org", "B", "2", "any"),
    ("acled", "ACLED", "https://acleddata.com", "B", "2", "any"),
    ("crisis-group", "International Crisis Group", "https://www.crisisgroup.org", "B", "2", "any"),
    ("iiss", "IISS", "https://www.iiss.org", "B", "2", "any"),
    ("rusi", "RUSI", "https://www.rusi.org", "B", "2", "any"),
    ("bellingcat", "Bellingcat", "https://www.bellingcat.com", "B", "2", "any"),
    ("un-ocha", "UN OCHA", "https://www.unocha.org", "A", "2", "any"),
    ("icrc", "ICRC", "https://www.icrc.org", "A", "2", "any"),
    ("hrw", "Human Rights Watch", "https://www.hrw.org", "B", "2", "any"),
    ("amnesty", "Amnesty International", "https://www.amnesty.org", "B", "3", "any"),
    ("wotr", "War on the Rocks", "https://warontherocks.com", "C", "3", "any"),
    (
        "mod-uk",
        "UK Ministry of Defence",
        "https://www.gov.uk/government/organisations/ministry-of-defence",
        "B",
        "3",
        "ua",
    ),
    ("genstaff-ua", "General Staff of the Armed Forces of Ukraine", "", "C", "3", "ua"),
    ("mod-ru", "Russian Ministry of Defence", "", "D", "4", "ua"),
    ("kyiv-independent", "The Kyiv Independent", "https://kyivindependent.com", "B", "2", "ua"),
    ("pravda-ua", "Ukrainska Pravda", "https://www.pravda.com.ua", "B", "3", "ua"),
    ("meduza", "Meduza", "https://meduza.io", "B", "3", "ua"),
    ("tass", "TASS", "https://tass.com", "D", "4", "ua"),
    ("oryx", "Oryx", "https://www.oryxspioenkop.com", "B", "2", "ua"),
    ("deepstate", "DeepStateMap", "https://deepstatemap.live", "B", "3", "ua"),
    ("rybar", "Rybar", "", "E", "4", "ua"),
    ("sohr", "Syrian Observatory for Human Rights", "https://www.syriahr.com", "C", "3", "sy"),
    ("sana", "SANA", "https://sana.sy", "E", "4", "sy"),
    ("enab-baladi", "Enab Baladi", "https://english.enabbaladi.net", "B", "3", "sy"),
    ("sdf-press", "SDF Press Centre", "", "D", "4", "sy"),
    ("al-jazeera", "Al Jazeera", "https://www.aljazeera.com", "B", "3", "any"),
    ("rudaw", "Rudaw", "https://www.rudaw.net", "C", "3", "iq"),
    ("shafaq", "Shafaq News", "https://shafaq.com", "C", "3", "iq"),
    ("saba", "Saba News Agency", "", "D", "4", "ye"),
    ("libya-observer", "The Libya Observer", "https://libyaobserver.ly", "C", "3", "ly"),
    ("sudan-tribune", "Sudan Tribune", "https://sudantribune.com", "C", "3", "sd"),
    ("radio-dabanga", "Radio Dabanga", "https://www.dabangasudan.org", "C", "3", "sd"),
]

# id: (name, local name, lat, lon, region)
PLACES = [
    ("kyiv", "Kyiv", "Київ", 50.4501, 30.5234, "ua"),
    ("kharkiv", "Kharkiv", "Харків", 49.9935, 36.2304, "ua"),
    ("odesa", "Odesa", "Одеса", 46.4825, 30.7233, "ua"),
    ("dnipro", "Dnipro", "Дніпро", 48.4647, 35.0462, "ua"),
    ("zaporizhzhia", "Zaporizhzhia", "Запоріжжя", 47.8388, 35.1396, "ua"),
    ("mykolaiv", "Mykolaiv", "Миколаїв", 46.9750, 31.9946, "ua"),
    ("kherson", "Kherson", "Херсон", 46.6354, 32.6169, "ua"),
    ("bakhmut", "Bakhmut", "Бахмут", 48.5947, 38.0003, "ua"),
    ("avdiivka", "Avdiivka", "Авдіївка", 48.1394, 37.7497, "ua"),
    ("pokrovsk", "Pokrovsk", "Покровськ", 48.2826, 37.1758, "ua"),
    ("kramatorsk", "Kramatorsk", "Краматорськ", 48.7389, 37.5848, "ua"),
    ("sloviansk", "Sloviansk", "Слов'янськ", 48.8521, 37.6050, "ua"),
    ("kupiansk", "Kupiansk", "Куп'янськ", 49.7106, 37.6156, "ua"),
    ("lyman", "Lyman", "Лиман", 48.9886, 37.8021, "ua"),
    ("vuhledar", "Vuhledar", "Вугледар", 47.7806, 37.2481, "ua"),
    ("chasiv-yar", "Chasiv Yar", "Часів Яр", 48.5876, 37.8353, "ua"),
    ("robotyne", "Robotyne", "Роботине", 47.4449, 35.8366, "ua"),
    ("toretsk", "Toretsk", "Торецьк", 48.3977, 37.8476, "ua"),
    ("siversk", "Siversk", "Сіверськ", 48.8660, 38.0997, "ua"),
    ("izium", "Izium", "Ізюм", 49.2128, 37.2569, "ua"),
    ("mariupol", "Mariupol", "Маріуполь", 47.0971, 37.5434, "ua"),
    ("donetsk", "Donetsk", "Донецьк", 48.0159, 37.8028, "ua"),
    ("luhansk", "Luhansk", "Луганськ", 48.5740, 39.3078, "ua"),
    ("sievierodonetsk", "Sievierodonetsk", "Сєвєродонецьк", 48.9482, 38.4913, "ua"),
    ("lysychansk", "Lysychansk", "Лисичанськ", 48.9167, 38.4333, "ua"),
    ("melitopol", "Melitopol", "Мелітополь", 46.8489, 35.3653, "ua"),
    ("enerhodar", "Enerhodar", "Енергодар", 47.4989, 34.6558, "ua"),
    ("belgorod", "Belgorod", "Белгород", 50.5997, 36.5983, "ua"),
    ("kursk", "Kursk", "Курск", 51.7304, 36.1926, "ua"),
    ("sudzha", "Sudzha", "Суджа", 51.1906, 35.2708, "ua"),
    ("aleppo", "Aleppo", "حلب", 36.2021, 37.1343, "sy"),
    ("damascus", "Damascus", "دمشق", 33.5138, 36.2765, "sy"),
    ("homs", "Homs", "حمص", 34.7324, 36.7137, "sy"),
    ("hama", "Hama", "حماة", 35.1318, 36.7578, "sy"),
    ("idlib", "Idlib", "إدلب", 35.9306, 36.6339, "sy"),
    ("raqqa", "Raqqa", "الرقة", 35.9528, 39.0079, "sy"),
    ("deir-ez-zor", "Deir ez-Zor", "دير الزور", 35.3333, 40.1500, "sy"),
    ("palmyra", "Palmyra", "تدمر", 34.5517, 38.2692, "sy"),
    ("latakia", "Latakia", "اللاذقية", 35.5317, 35.7901, "sy"),
    ("daraa", "Daraa", "درعا", 32.6189, 36.1021, "sy"),
    ("manbij", "Manbij", "منبج", 36.5281, 37.9549, "sy"),
    ("kobani", "Kobani", "كوباني", 36.8906, 38.3536, "sy"),
    ("mosul", "Mosul", "الموصل", 36.3350, 43.1189, "iq"),
    ("tal-afar", "Tal Afar", "تلعفر", 36.3769, 42.4497, "iq"),
    ("fallujah", "Fallujah", "الفلوجة", 33.3494, 43.7836, "iq"),
    ("ramadi", "Ramadi", "الرمادي", 33.4258, 43.2990, "iq"),
    ("baghdad", "Baghdad", "بغداد", 33.3152, 44.3661, "iq"),
    ("kirkuk", "Kirkuk", "كركوك", 35.4681, 44.3922, "iq"),
    ("sanaa", "Sanaa", "صنعاء", 15.3694, 44.1910, "ye"),
    ("aden", "Aden", "عدن", 12.7855, 45.0187, "ye"),
    ("hodeidah", "Hodeidah", "الحديدة", 14.7978, 42.9545, "ye"),
    ("marib", "Marib", "مأرب", 15.4620, 45.3253, "ye"),
    ("taiz", "Taiz", "تعز", 13.5795, 44.0209, "ye"),
    ("tripoli", "Tripoli", "طرابلس", 32.8872, 13.1913, "ly"),
    ("benghazi", "Benghazi", "بنغازي", 32.1167, 20.0667, "ly"),
    ("sirte", "Sirte", "سرت", 31.2089, 16.5887, "ly"),
    ("misrata", "Misrata", "مصراتة", 32.3754, 15.0925, "ly"),
    ("khartoum", "Khartoum", "الخرطوم", 15.5007, 32.5599, "sd"),
    ("omdurman", "Omdurman", "أم درمان", 15.6445, 32.4777, "sd"),
    ("el-fasher", "El Fasher", "الفاشر", 13.6289, 25.3494, "sd"),
]

# Places given inline in front matter (name, local name, lat, lon, region); one
# name always has the same coordinates.
INLINE_PLACES = [
    ("Klishchiivka", "Кліщіївка", 48.5333, 37.9667, "ua"),
    ("Andriivka", "Андріївка", 48.5012, 37.9701, "ua"),
    ("Krynky", "Кринки", 46.7317, 33.0883, "ua"),
    ("Staromaiorske", "Старомайорське", 47.7489, 36.7636, "ua"),
    ("Urozhaine", "Урожайне", 47.7619, 36.8247, "ua"),
    ("Novomykhailivka", "Новомихайлівка", 47.8300, 37.5100, "ua"),
    ("Marinka", "Мар'їнка", 47.9419, 37.5047, "ua"),
    ("Synkivka", "Синьківка", 49.7900, 37.7100, "ua"),
    ("Terny", "Терни", 48.9700, 38.0300, "ua"),
    ("Bilohorivka", "Білогорівка", 48.9200, 38.2500, "ua"),
    ("Verbove", "Вербове", 47.4700, 35.9600, "ua"),
    ("Orikhiv", "Оріхів", 47.5672, 35.7855, "ua"),
    ("Huliaipole", "Гуляйполе", 47.6636, 36.2569, "ua"),
    ("Velyka Novosilka", "Велика Новосілка", 47.8472, 36.8261, "ua"),
    ("Kurakhove", "Курахове", 47.9833, 37.2833, "ua"),
    ("Selydove", "Селидове", 48.1472, 37.2997, "ua"),
    ("Ocheretyne", "Очеретине", 48.2667, 37.6167, "ua"),
    ("Niu-York", "Нью-Йорк", 48.3303, 37.8378, "ua"),
    ("Stepove", "Степове", 48.2200, 37.7000, "ua"),
    ("Tabaivka", "Табаївка", 49.6300, 37.9900, "ua"),
    ("Saraqib", "سراقب", 35.8644, 36.8006, "sy"),
    ("Maarat al-Numan", "معرة النعمان", 35.6481, 36.6717, "sy"),
    ("Khan Shaykhun", "خان شيخون", 35.4411, 36.6508, "sy"),
    ("Tal Rifaat", "تل رفعت", 36.4694, 37.0972, "sy"),
    ("Al-Bab", "الباب", 36.3700, 37.5167, "sy"),
    ("Jarabulus", "جرابلس", 36.8175, 38.0114, "sy"),
    ("Ain Issa", "عين عيسى", 36.3858, 38.8594, "sy"),
    ("Abu Kamal", "البوكمال", 34.4533, 40.9186, "sy"),
    ("Al-Mayadin", "الميادين", 35.0192, 40.4511, "sy"),
    ("Tabqa", "الطبقة", 35.8364, 38.5481, "sy"),
    ("Al-Qaim", "القائم", 34.3689, 41.0947, "iq"),
    ("Hit", "هيت", 33.6383, 42.8269, "iq"),
    ("Baiji", "بيجي", 34.9311, 43.4869, "iq"),
    ("Tikrit", "تكريت", 34.6071, 43.6782, "iq"),
    ("Sinjar", "سنجار", 36.3222, 41.8767, "iq"),
    ("Ajdabiya", "أجدابيا", 30.7554, 20.2263, "ly"),
    ("Ras Lanuf", "راس لانوف", 30.5000, 18.5667, "ly"),
    ("Mocha", "المخا", 13.3194, 43.2500, "ye"),
    ("Al-Jawf", "الجوف", 16.2000, 44.7000, "ye"),
    ("Nyala", "نيالا", 12.0500, 24.8833, "sd"),
]

REGIONS = {
    "ua": [
        "Eastern Ukraine",
        "Southern Ukraine",
        "Northern Ukraine",
        "Black Sea",
        "Russian border regions",
    ],
    "sy": ["Northern Syria", "Eastern Syria", "Southern Syria"],
    "iq": ["Western Iraq", "Northern Iraq"],
    "ye": ["Yemen", "Red Sea"],
    "ly": ["Libya"],
    "sd": ["Sudan", "Darfur"],
}

ACTORS = {
    "ua": [
        "Armed Forces of Ukraine",
        "Russian Armed Forces",
        "Wagner Group",
        "National Guard of Ukraine",
        "Rosgvardia",
        "Russian Airborne Forces",
        "Kadyrovites",
        "Black Sea Fleet",
        "NATO",
    ],
    "sy": [
        "Syrian Arab Army",
        "Hayat Tahrir al-Sham",
        "Syrian Democratic Forces",
        "Islamic State",
        "Syrian National Army",
        "Turkish Armed Forces",
        "Hezbollah",
        "IRGC",
        "Russian Aerospace Forces",
    ],
    "iq": [
        "Iraqi Security Forces",
        "Popular Mobilization Forces",
        "Peshmerga",
        "Islamic State",
        "US Central Command",
        "IRGC",
    ],
    "ye": ["Houthis", "Saudi-led coalition", "Southern Transitional Council", "US Central Command"],
    "ly": ["Libyan National Army", "Government of National Unity", "Africa Corps", "Wagner Group"],
    "sd": ["Rapid Support Forces", "Sudanese Armed Forces", "Africa Corps", "UN"],
}

TOPIC_TAGS = """
artillery drones fpv-drones air-defense missile-strikes logistics mobilization counteroffensive
defensive-operations fortifications minefields armor infantry special-forces naval
electronic-warfare energy-infrastructure humanitarian civilian-casualties prisoners-of-war
sanctions diplomacy ceasefire negotiations western-aid ammunition long-range-strikes
cruise-missiles ballistic-missiles glide-bombs air-power helicopters satellite-imagery osint
information-operations propaganda cyber nuclear-safety grain-corridor refugees reconstruction
corruption command-changes casualties recruitment training reserves urban-combat river-crossing
bridgeheads encirclement withdrawal attrition tanks ifvs engineering demining medevac weather
mud-season winter summer-campaign border-raids partisans sabotage occupation filtration
deportations war-crimes icc sieges tunnels jihadists insurgency counterinsurgency militias
tribal-forces kurdish-forces turkish-operations iranian-proxies us-strikes israeli-strikes
oil-fields smuggling hostages aid-convoys famine cholera shipping red-sea air-bases railways
bridges power-grid water-supply checkpoints curfews elections protests mercenaries
arms-transfers
counter-battery loitering-munitions naval-drones black-sea-fleet crimea-bridge hospitals schools
journalists press-freedom internet-shutdowns disinformation telegram satellite-internet gps-jamming
conscription desertion morale leadership logistics-hubs fuel-depots ammunition-depots airstrikes
barrel-bombs chemical-weapons landmines cluster-munitions mass-graves exchanges peace-talks
security-guarantees arms-embargo drone-factories
""".split()  # noqa: SIM905
UNICODE_TAGS = ["Донбас", "Крим", "Запорізька область", "الشام", "حوران", "الجزيرة"]
TAGS = TOPIC_TAGS + [p[0] for p in PLACES] + UNICODE_TAGS  # ~210

AUTHORS = [
    "A. Petrenko",
    "L. Haddad",
    "M. Okafor",
    "S. Lindqvist",
    "R. Delgado",
    "N. Karimi",
    "J. Whitfield",
    "O. Bondarenko",
]
EXTRA_LAYOUTS = ["wide", "map-first", "standard"]
LOCAL_OUTLETS = [
    "Telegram channel",
    "Regional administration",
    "Local journalist",
    "Brigade press service",
    "Hospital director",
]
ASSESSMENTS = ["Plausible", "Unverified", "Likely inflated", "Confirmed by imagery", "Disputed"]
DESCRIPTION = "A synthetic archive of daily situation reports for benchmarking sitegen."
SERIES_KINDS = ["Battle of {}", "Siege of {}", "{} Offensive", "{} Front", "Battle for {}"]
NOTE_KINDS = ["Weekly Assessment", "Desk Note", "Explainer", "Map Update", "Special Report"]

# ------------------------------------------------------------------ words

FUNCTION_WORDS = """
the the the the of of of and and and to to in in in a a on at by for with from as that which
this these its their is are was were has have had been be will would may could not also but
while after before during into across near over under along between toward than more most
""".split()  # noqa: SIM905

CONTENT_WORDS = """
forces troops brigade battalion regiment division corps unit units company platoon positions
position line lines front frontline sector axis flank salient pocket village town city outskirts
district suburb road highway railway bridge river crossing reservoir canal ridge hill heights
woodland treeline field fields trench trenches dugout bunker minefield obstacles fortifications
artillery shelling strikes strike drone drones missile missiles rocket rockets launcher
launchers battery batteries howitzer howitzers mortar mortars tank tanks vehicle vehicles armor
infantry assault assaults attack attacks counterattack counterattacks advance advances
withdrawal retreat offensive defense defenders attackers reinforcements reserves rotation
logistics supply supplies ammunition shells fuel depot depots warehouse convoy convoys corridor
route routes checkpoint airfield airbase aircraft helicopter helicopters jets sorties radar
interceptor interceptors reported claimed confirmed denied assessed observed geolocated
published released stated noted indicated suggested appeared remained continued resumed halted
stalled gained lost captured recaptured seized held secured repelled repulsed struck targeted
destroyed damaged shelled advanced withdrew consolidated entrenched infiltrated encircled
bypassed contested cleared footage imagery images video videos photos satellite analysts
officials sources residents commanders spokesman ministry statement statements briefing
briefings report reports claim claims evidence indicators pattern patterns tempo pace pressure
intensity losses casualties wounded killed civilians refugees evacuation evacuations
humanitarian aid shelter power water grid outages heavy light limited significant marginal
steady renewed sustained intense sporadic localized northern southern eastern western central
northeastern southwestern nearby adjacent forward rear likely unlikely probably possibly
reportedly apparently partially largely mostly heavily overnight morning evening afternoon week
weeks day days month hours yesterday today recently earlier later previous current ongoing
initial final second third several multiple dozens operational tactical strategic political
economic diplomatic military civilian regional local small large major minor new old key main
primary secondary critical important notable
""".split()  # noqa: SIM905

SPEAKERS = [
    "a brigade press officer",
    "a regional governor",
    "a spokesman for the ministry",
    "a local official",
    "a field commander",
    "a humanitarian coordinator",
    "an analyst",
    "a resident",
    "a senior diplomat",
    "a military blogger",
]
