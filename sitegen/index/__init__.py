"""Stage 2, indexing: every post together — selection, order, series, terms, places.

Also the URL layout (:mod:`urls`) and the site-wide checks that need every
post: URL collisions and links that lead nowhere.
"""
