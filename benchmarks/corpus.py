"""A deterministic benchmark corpus: N SITREP-like posts as a sitegen site and a Pelican site.

    python3 benchmarks/corpus.py N DIR [--seed S] [--words W]

writes into DIR (which must be empty or absent) a complete sitegen site:

    DIR/site.yaml          registries of ~40 sources and ~60 places (Cyrillic and
                           Arabic local names), taxonomies theaters and actors
    DIR/templates/         copied from the repository
    DIR/static/            copied from the repository
    DIR/posts/YYYY/*.md    N posts of about W words (default 1,500) using every
                           front-matter field of the post format

and, beside it, the same Markdown bodies as a Pelican site:

    DIR-pelican/pelicanconf.py
    DIR-pelican/content/*.md   Pelican's metadata header (Title, Date, Tags,
                               Category, Slug, Summary) + the same body

Citations (``[@id]``) and quote embeds (``{{< quote id >}}``) are left in the
Pelican bodies as literal text: Pelican is measured on Markdown and templating.

Everything comes from one ``random.Random(seed)`` and built-in word lists, so the
same N and seed give byte-identical files.  Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASE_URL = "https://bench.example.org/"
TIMEZONE = "Europe/Kyiv"
POSTS_PER_PAGE = 10
FEED_LENGTH = 20
LAST_POST = datetime(2025, 6, 30, 18, 0)  # every post is in the past: none is skipped as future

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

# ------------------------------------------------------------------ text


class Writer:
    """Sentences, paragraphs and names from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = FUNCTION_WORDS * 3 + CONTENT_WORDS

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.pool, k=n)

    def sentence(self, names: list[str], low: int = 9, high: int = 28) -> str:
        rng = self.rng
        words = self.words(rng.randint(low, high))
        if names and rng.random() < 0.55:
            words.insert(rng.randrange(len(words)), rng.choice(names))
        if len(words) > 12 and rng.random() < 0.5:
            at = rng.randrange(4, len(words) - 3)
            words[at] += ","
        if rng.random() < 0.06:
            at = rng.randrange(len(words))
            words[at] = f"*{words[at].rstrip(',')}*"
        elif rng.random() < 0.04:
            at = rng.randrange(len(words) - 1)
            words[at] = f"**{words[at].rstrip(',')}"
            words[at + 1] = words[at + 1].rstrip(",") + "**"
        if rng.random() < 0.07:
            words.append(f"({rng.randint(2, 95)} km)")
        text = " ".join(words).rstrip(",")
        return text[0].upper() + text[1:] + "."

    def paragraph(self, names: list[str], cites: list[str], low: int = 3, high: int = 6) -> str:
        rng = self.rng
        sentences = [self.sentence(names) for _ in range(rng.randint(low, high))]
        if cites:
            for _ in range(rng.randint(1, 2)):
                at = rng.randrange(len(sentences))
                sentences[at] = sentences[at][:-1] + " " + self.citation(cites) + "."
        return " ".join(sentences)

    def citation(self, cites: list[str]) -> str:
        picked = self.rng.sample(cites, k=min(len(cites), self.rng.choice([1, 1, 1, 2, 2, 3])))
        return "[" + "; ".join(f"@{c}" for c in picked) + "]"

    def phrase(self, low: int = 3, high: int = 6) -> str:
        words = self.rng.choices(CONTENT_WORDS, k=self.rng.randint(low, high))
        return " ".join(w.capitalize() for w in words)


def count_words(text: str) -> int:
    return len(text.split())


# ------------------------------------------------------------------ posts


def ystr(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def ylist(values: list[str]) -> str:
    return "[" + ", ".join(ystr(v) for v in values) + "]"


def ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Corpus:
    def __init__(self, n: int, seed: int, words: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.words = words
        self.text = Writer(self.rng)
        self.places = {p[0]: p for p in PLACES}
        self.by_region: dict[str, list[str]] = {}
        for pid, *_rest, region in PLACES:
            self.by_region.setdefault(region, []).append(pid)
        self.inline_by_region: dict[str, list[tuple]] = {}
        for place in INLINE_PLACES:
            self.inline_by_region.setdefault(place[-1], []).append(place)
        self.sources_by_region: dict[str, list[str]] = {}
        for sid, *_rest, region in SOURCES:
            self.sources_by_region.setdefault(region, []).append(sid)
        # 50 series, each tied to a distinct registry place.
        anchors = self.rng.sample([p[0] for p in PLACES], k=50)
        self.series = []
        for i, pid in enumerate(anchors):
            name = SERIES_KINDS[i % len(SERIES_KINDS)].format(self.places[pid][1])
            self.series.append((name, pid))
        self.series_next = [1] * len(self.series)
        self.note_next = [1] * len(NOTE_KINDS)

    # -- site.yaml

    def site_yaml(self) -> str:
        out = [
            "# Benchmark corpus written by benchmarks/corpus.py; regenerate, do not edit.",
            f"title: {ystr('Bench Desk: Conflict SITREPs')}",
            f"description: {ystr(DESCRIPTION)}",
            f"base_url: {ystr(BASE_URL)}",
            f"author: {ystr('The Bench Desk')}",
            "language: en",
            f"timezone: {TIMEZONE}",
            f"posts_per_page: {POSTS_PER_PAGE}",
            f"feed_length: {FEED_LENGTH}",
            "output: _site",
            "taxonomies: [theaters, actors]",
            "map:",
            f"  tiles: {ystr('https://tile.openstreetmap.org/{z}/{x}/{y}.png')}",
            f"  attribution: {ystr('&copy; OpenStreetMap contributors')}",
            "sources:",
        ]
        for sid, name, url, rel, cred, _region in SOURCES:
            fields = [f"name: {ystr(name)}"]
            if url:
                fields.append(f"url: {ystr(url)}")
            fields += [f"reliability: {rel}", f"credibility: {ystr(cred)}"]
            out.append(f"  {sid}: {{{', '.join(fields)}}}")
        out.append("places:")
        for pid, name, local, lat, lon, _region in PLACES:
            out.append(
                f"  {pid}: {{name: {ystr(name)}, local_name: {ystr(local)}, "
                f"lat: {lat}, lon: {lon}}}"
            )
        return "\n".join(out) + "\n"

    # -- one post

    def post(self, i: int) -> dict:
        rng = self.rng
        # dates: newest LAST_POST, about 0.7 days apart, so 10,000 posts span ~19 years
        when = LAST_POST - timedelta(days=(self.n - 1 - i) * 0.7)
        when = when.replace(minute=rng.randrange(0, 60, 5), second=0, microsecond=0)
        in_series = rng.random() < 0.6
        if in_series:
            s = rng.randrange(len(self.series))
            series, anchor = self.series[s]
            index = self.series_next[s]
            self.series_next[s] += 1
            region = self.places[anchor][-1]
        else:
            series = None
            anchor = rng.choice(PLACES)[0]
            region = self.places[anchor][-1]
        words = self.text.phrase(2, 4)
        where = rng.choice(["near", "at", "around", "north of", "south of", "east of", "west of"])
        town = self.places[rng.choice(self.by_region[region])][1]
        headline = f"{words} {where} {town}"
        if series:
            title = f"{series} SITREP {index}: {headline}"
        else:
            k = rng.randrange(len(NOTE_KINDS))
            title = f"{NOTE_KINDS[k]} {self.note_next[k]}: {headline}"
            self.note_next[k] += 1
        explicit_slug = rng.random() < 0.25
        if explicit_slug:
            slug = f"{ascii_slug(series)}-sitrep-{index}" if series else f"note-{i + 1}"
        else:
            slug = ascii_slug(title)
        fm: list[str] = ["---", f"title: {ystr(title)}"]
        if rng.random() < 0.6:
            fm.append(f"subtitle: {ystr(self.text.sentence([], 8, 16)[:-1])}")
        style = rng.randrange(3)
        if style == 0:
            offset = rng.choice([2, 3])
            fm.append(f"date: {when.strftime('%Y-%m-%dT%H:%M:%S')}+0{offset}:00")
        elif style == 1:
            fm.append(f"date: {when.strftime('%Y-%m-%d %H:%M:%S')}")
        else:
            fm.append(f"date: {when.strftime('%Y-%m-%d')}")
        if rng.random() < 0.2:
            later = when + timedelta(hours=rng.randint(3, 60))
            fm.append(f"updated: {later.strftime('%Y-%m-%dT%H:%M:%S')}Z")
        if explicit_slug:
            fm.append(f"slug: {slug}")
        who = rng.random()
        if who < 0.5:
            fm.append(f"author: {ystr(rng.choice(AUTHORS))}")
        elif who < 0.8:
            fm.append(f"authors: {ylist(rng.sample(AUTHORS, k=2))}")
        if rng.random() < 0.1:
            fm.append("draft: false")
        if series:
            fm.append(f"series: {ystr(series)}")
            fm.append(f"series_index: {index}")
        tags = rng.sample(TAGS, k=rng.randint(2, 6))
        if anchor not in tags and rng.random() < 0.5:
            tags.append(anchor)
        fm.append(f"tags: {ylist(tags)}")
        theaters = rng.sample(REGIONS[region], k=min(len(REGIONS[region]), rng.randint(1, 2)))
        fm.append(f"theaters: {ylist(theaters)}")
        fm.append(f"actors: {ylist(rng.sample(ACTORS[region], k=rng.randint(1, 4)))}")
        summary = None
        if rng.random() < 0.4:
            summary = " ".join(self.text.sentence([], 12, 24) for _ in range(2))
            fm.append(f"summary: {ystr(summary)}")

        # sources: registry ids, registry overrides, inline mappings
        pool = self.sources_by_region["any"] + self.sources_by_region.get(region, [])
        chosen = rng.sample(pool, k=rng.randint(3, 7))
        source_ids = []
        fm.append("sources:")
        for sid in chosen:
            source_ids.append(sid)
            if rng.random() < 0.7:
                fm.append(f"  - {sid}")
            else:
                fm.append(f"  - id: {sid}")
                fm.append(f"    title: {ystr(self.text.phrase(4, 8))}")
                fm.append(
                    f"    url: {ystr(f'https://bench.example.net/{sid}/{when:%Y/%m/%d}/{i}')}"
                )
                fm.append(f"    published: {(when - timedelta(days=rng.randint(0, 3))):%Y-%m-%d}")
                if rng.random() < 0.5:
                    fm.append(f"    credibility: {ystr(str(rng.randint(1, 5)))}")
        for k in range(rng.randint(1, 3)):
            sid = f"local-{k + 1}"
            source_ids.append(sid)
            fm.append(f"  - id: {sid}")
            outlet = f"{rng.choice(LOCAL_OUTLETS)} {self.text.phrase(1, 2)}"
            fm.append(f"    name: {ystr(outlet)}")
            fm.append(f"    title: {ystr(self.text.phrase(3, 7))}")
            if rng.random() < 0.7:
                fm.append(f"    url: {ystr(f'https://t.example.net/{sid}/{i}')}")
                if rng.random() < 0.5:
                    fm.append(
                        f"    archive_url: {ystr(f'https://archive.example.net/{when:%Y%m%d}/{sid}/{i}')}"
                    )
            fm.append(f"    published: {when:%Y-%m-%d}")
            fm.append(f"    reliability: {rng.choice('BCDEF')}")
            fm.append(f"    credibility: {ystr(str(rng.randint(2, 6)))}")

        quote_ids = []
        fm.append("quotes:")
        for k in range(rng.randint(1, 3)):
            qid = f"q{k + 1}-{rng.choice(CONTENT_WORDS)}"
            quote_ids.append(qid)
            fm.append(f"  - id: {qid}")
            fm.append(f"    text: {ystr(self.text.sentence([], 10, 30))}")
            if rng.random() < 0.8:
                fm.append(f"    speaker: {ystr(rng.choice(SPEAKERS))}")
            if rng.random() < 0.85:
                fm.append(f"    source: {rng.choice(source_ids)}")

        names = []
        fm.append("locations:")
        local_places = self.by_region[region]
        count = min(len(local_places), rng.randint(1, 3))
        picked = [anchor, *rng.sample(local_places, k=count)]
        for pid in dict.fromkeys(picked):
            fm.append(f"  - {pid}")
            names.append(self.places[pid][1])
        if rng.random() < 0.5 and region in self.inline_by_region:
            for name, local, lat, lon, _r in rng.sample(
                self.inline_by_region[region], k=min(2, len(self.inline_by_region[region]))
            )[: rng.randint(1, 2)]:
                fm.append(f"  - name: {ystr(name)}")
                fm.append(f"    local_name: {ystr(local)}")
                fm.append(f"    lat: {lat}")
                fm.append(f"    lon: {lon}")
                names.append(name)
        if rng.random() < 0.1:
            fm.append("corrections:")
            fm.append(f"  - date: {(when + timedelta(days=1)):%Y-%m-%d}")
            text = "An earlier version " + self.text.sentence(names, 8, 18).lower()
            fm.append(f"    text: {ystr(text)}")
        if rng.random() < 0.1:
            fm.append(f"id: {ystr(f'tag:bench.example.org,{when.year}:post-{i + 1}')}")
        if rng.random() < 0.1:
            fm.append(f"aliases: [/{when:%Y/%m/%d}/old-{i + 1}/]")
        if rng.random() < 0.2:
            layout = rng.choice(EXTRA_LAYOUTS)
            zoom = rng.randint(6, 11)
            fm.append(f"extra: {{hero: map-{i + 1}.png, layout: {layout}, zoom: {zoom}}}")
        fm.append("---")
        body = self.body(names, source_ids, quote_ids, region)
        return {
            "i": i,
            "when": when,
            "title": title,
            "slug": slug,
            "series": series,
            "tags": tags,
            "summary": summary,
            "front": "\n".join(fm) + "\n",
            "body": body,
        }

    def body(self, names: list[str], cites: list[str], quotes: list[str], region: str) -> str:
        rng, t = self.rng, self.text
        target = rng.randint(int(self.words * 0.85), int(self.words * 1.15))
        blocks = [f"**Bottom line:** {t.paragraph(names, cites, 3, 4)}", "## Situation"]
        blocks += [t.paragraph(names, cites) for _ in range(2)]
        blocks.append("## Key developments")
        items = []
        for _ in range(rng.randint(4, 7)):
            items.append(
                f"- **{rng.choice(names)}:** {t.sentence(names)[:-1]} {t.citation(cites)}."
            )
        blocks.append("\n".join(items))
        blocks.append(f"{{{{< quote {quotes[0]} >}}}}")
        blocks.append("## By sector")
        sectors = list(dict.fromkeys(names))[:3]
        for name in sectors:
            blocks.append(f"### {name} axis")
            blocks.append(t.paragraph(names, cites))
        for qid in quotes[1:]:
            blocks.append(f"{{{{< quote {qid} >}}}}")
            blocks.append(t.paragraph(names, cites, 2, 4))
        blocks.append("## Losses and claims")
        blocks.append(t.paragraph(names, cites, 2, 3))
        rows = ["| Claim | Source | Figure | Assessment |", "|---|---|---|---|"]
        for _ in range(rng.randint(4, 6)):
            rows.append(
                f"| {t.phrase(2, 4)} | [@{rng.choice(cites)}] | {rng.randint(2, 400)} "
                f"| {rng.choice(ASSESSMENTS)} |"
            )
        blocks.append("\n".join(rows))
        blocks.append(f"{t.paragraph(names, cites, 2, 4)} {t.sentence(names)[:-1]}[^1].")
        blocks.append("## Assessment")
        words = sum(count_words(b) for b in blocks) + 60  # the outlook and footnote below
        while words < target:
            p = t.paragraph(names, cites)
            if rng.random() < 0.3:
                url = f"https://bench.example.org/maps/{rng.randint(1, 999)}/"
                p += f" See the [map update]({url}) for details."
            blocks.append(p)
            words += count_words(p)
        blocks.append("## Outlook")
        blocks.append(
            "\n".join(f"{k}. {t.sentence(names, 8, 16)}" for k in range(1, rng.randint(3, 5) + 1))
        )
        blocks.append(f"[^1]: {t.sentence(names, 10, 20)}")
        return "\n\n".join(blocks) + "\n"


# ------------------------------------------------------------------ pelican

PELICANCONF = '''"""Pelican settings for the benchmark corpus (written by benchmarks/corpus.py).

Feeds mirror sitegen's: the whole site as RSS and Atom, one RSS per category
(sitegen's series) and one per tag.  The Markdown extensions are sitegen's.
Caching is off unless BENCH_PELICAN_CACHE=1 (or -e CACHE_CONTENT=true
LOAD_CONTENT_CACHE=true on the command line).
"""
import os

AUTHOR = "The Bench Desk"
SITENAME = "Bench Desk: Conflict SITREPs"
SITEURL = "{siteurl}"
PATH = "content"
TIMEZONE = "{timezone}"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"

FEED_DOMAIN = SITEURL
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{{slug}}.rss.xml"
CATEGORY_FEED_ATOM = None
TAG_FEED_RSS = "feeds/tag/{{slug}}.rss.xml"
AUTHOR_FEED_RSS = None
AUTHOR_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = {feed_length}
RSS_FEED_SUMMARY_ONLY = False

DEFAULT_PAGINATION = {per_page}
RELATIVE_URLS = False

MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.tables": {{}},
        "markdown.extensions.footnotes": {{}},
        "markdown.extensions.fenced_code": {{}},
        "markdown.extensions.def_list": {{}},
        "markdown.extensions.attr_list": {{}},
        "markdown.extensions.abbr": {{}},
        "markdown.extensions.toc": {{"toc_depth": "2-3"}},
        "markdown.extensions.md_in_html": {{}},
        "markdown.extensions.sane_lists": {{}},
        "markdown.extensions.meta": {{}},
    }},
    "output_format": "html5",
}}

_CACHE = os.environ.get("BENCH_PELICAN_CACHE", "0") == "1"
CACHE_CONTENT = _CACHE
LOAD_CONTENT_CACHE = _CACHE
CACHE_PATH = "cache"
'''


def pelican_file(post: dict) -> str:
    when: datetime = post["when"]
    head = [
        f"Title: {post['title']}",
        f"Date: {when:%Y-%m-%d %H:%M}",
        f"Tags: {', '.join(post['tags'])}",
        f"Category: {post['series'] or 'Analysis'}",
        f"Slug: {post['slug']}",
    ]
    if post["summary"]:
        head.append(f"Summary: {post['summary']}")
    return "\n".join(head) + "\n\n" + post["body"]


# ------------------------------------------------------------------ writing


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy files by content only (mtimes are those of the copy)."""
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())


def pelican_dir(site: Path) -> Path:
    return site.parent / f"{site.name}-pelican"


def generate(
    n: int, site: Path, seed: int = 1, words: int = 1500, pelican: bool = True
) -> list[str]:
    """Write the corpus; returns the site-relative paths of the posts, in order."""
    for target in [site] + ([pelican_dir(site)] if pelican else []):
        if target.exists() and any(target.iterdir()):
            raise SystemExit(f"corpus: {target} is not empty; choose a new directory")
    corpus = Corpus(n, seed, words)
    _write(site / "site.yaml", corpus.site_yaml())
    _copy_tree(REPO / "templates", site / "templates")
    _copy_tree(REPO / "static", site / "static")
    pel = pelican_dir(site)
    if pelican:
        _write(
            pel / "pelicanconf.py",
            PELICANCONF.format(
                siteurl=BASE_URL.rstrip("/"),
                timezone=TIMEZONE,
                feed_length=FEED_LENGTH,
                per_page=POSTS_PER_PAGE,
            ),
        )
    rels = []
    for i in range(n):
        post = corpus.post(i)
        name = f"{post['slug']}.md"
        rel = f"posts/{post['when'].year}/{name}"
        _write(site / rel, post["front"] + post["body"])
        if pelican:
            _write(pel / "content" / name, pelican_file(post))
        rels.append(rel)
    return rels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of posts")
    parser.add_argument("dir", type=Path, help="the site directory to create (empty or absent)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--words", type=int, default=1500, help="mean words per post (default 1500)"
    )
    parser.add_argument("--no-pelican", action="store_true", help="do not write DIR-pelican")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be 1 or more")
    generate(args.n, args.dir, args.seed, args.words, pelican=not args.no_pelican)
    print(
        f"wrote {args.n} posts into {args.dir}"
        + ("" if args.no_pelican else f" and {pelican_dir(args.dir)}")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
