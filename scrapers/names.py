"""Person and entity names as registers file them, turned into the form people read.

SEC ownership filings give names as "Last First Middle" ("COOK TIMOTHY D"), usually in
capitals; the directory shows "Timothy D. Cook". Corporate owners ("BERKSHIRE HATHAWAY INC")
are kept as filed and flagged as not a person.
"""
from __future__ import annotations

import re

# Words that make a filer an organisation rather than a person.
ENTITY_WORDS = frozenset(
    """inc incorporated llc l.l.c corp corporation co company holdings holding trust lp l.p
    llp ltd limited plc partners partnership fund funds capital group associates management
    bank n.a na foundation advisors advisers investments investment ventures sa s.a ag gmbh
    nv n.v bv b.v se ab asa oyj spa s.p.a kg lllp pllc pc trustee trustees estate""".split()
)
# Lower-case surname particles that belong to the surname: "VAN DER BERG JAN".
PARTICLES = frozenset("van von der den de del della di da das dos du la le st ter ten".split())
# "V" is left out: in "SMITH JOHN V" it is far more often an initial than a suffix.
SUFFIXES = {"jr": "Jr.", "sr": "Sr.", "ii": "II", "iii": "III", "iv": "IV"}
# Surnames that start with "Mac" but are not "Mac" + a capitalised name.
NOT_MAC = frozenset("mace macey machado machin macias mack mackey mackie macon macy maceo macedo".split())


def is_entity_name(raw: str) -> bool:
    """True when a filer name is an organisation ("... INC", "... L.P.", "... TRUST")."""
    words = {w.strip(",.()&") for w in raw.lower().replace(",", " ").split()}
    return not words.isdisjoint(ENTITY_WORDS)


def display_name(raw: str) -> str:
    """A filed "Last First Middle [Suffix]" name in reading order with sensible capitals.

    Organisations are returned as filed (whitespace tidied).
    """
    tokens = raw.split()
    if not tokens:
        return ""
    if is_entity_name(raw):
        return " ".join(tokens)
    suffixes = [t for t in tokens[1:] if _suffix(t)]
    tokens = [t for i, t in enumerate(tokens) if i == 0 or not _suffix(t)]
    surname_length = 1
    while surname_length < len(tokens) - 1 and tokens[surname_length - 1].lower() in PARTICLES:
        surname_length += 1
    surname, given = tokens[:surname_length], tokens[surname_length:]
    last = len(surname) - 1
    words = [_given_word(w) for w in given] + [_surname_word(w, i == last) for i, w in enumerate(surname)]
    words += [SUFFIXES[_suffix(s)] for s in suffixes]
    return " ".join(words)


def _suffix(token: str) -> str | None:
    key = token.strip(",.").lower()
    return key if key in SUFFIXES else None


def _given_word(word: str) -> str:
    """A given name or initial: "D" -> "D.", "TIMOTHY" -> "Timothy"."""
    bare = word.rstrip(".")
    if len(bare) == 1 and bare.isalpha():
        return bare.upper() + "."
    return _recase(word)


def _surname_word(word: str, is_last: bool) -> str:
    """Particles before the surname stay lower-case ("van der Berg"); "LE" alone is "Le"."""
    if not is_last and word.lower() in PARTICLES and not _is_mixed(word):
        return word.lower()
    return _recase(word)


def _is_mixed(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return any(c.isupper() for c in letters) and any(c.islower() for c in letters)


def _recase(word: str) -> str:
    """Capitalise an all-caps or all-lower word, part by part; keep mixed case as filed."""
    if _is_mixed(word):
        return word
    return re.sub(r"[^\W\d_]+", lambda m: _capitalise(m.group(0)), word)


def _capitalise(part: str) -> str:
    lower = part.lower()
    if lower.startswith("mc") and len(lower) > 3:
        return "Mc" + lower[2:].capitalize()
    if lower.startswith("mac") and len(lower) > 5 and lower not in NOT_MAC:
        return "Mac" + lower[3:].capitalize()
    return lower.capitalize()


# Companies House files people as "SURNAME, Forenames[, Title]": "MURPHY, Kenneth Andrew",
# "DYSON, James, Sir", sometimes with the title first among the forenames ("SMITH, Dr Jane").
HONORIFICS = {
    "sir": "Sir", "dame": "Dame", "lord": "Lord", "lady": "Lady", "baron": "Baron", "baroness": "Baroness",
    "dr": "Dr", "doctor": "Dr", "prof": "Professor", "professor": "Professor", "mr": "Mr", "mrs": "Mrs",
    "ms": "Ms", "miss": "Miss", "mx": "Mx", "rev": "Rev", "reverend": "Rev", "the hon": "The Hon",
    "hon": "The Hon", "rt hon": "Rt Hon", "the rt hon": "Rt Hon", "viscount": "Viscount", "earl": "Earl",
    "countess": "Countess",
}
# Letters after a name that are honours, not part of it: kept out of the display name.
POST_NOMINALS = frozenset("obe cbe mbe kbe dbe gbe kcb cb frs freng qc kc mp bt bart".split())


def is_registry_person_name(raw: str) -> bool:
    """True for a "SURNAME, Forenames" name; corporate officers are filed as one capitalised name.

    Forenames are filed in mixed case, so "STEVENSON, Elizabeth Mary" is a person while
    "LONDON LAW SERVICES LIMITED" (or "SMITH, JONES & CO LIMITED") is not.
    """
    surname, _, rest = raw.partition(",")
    if not rest.strip() or not surname.strip():
        return not is_entity_name(raw)
    return any(c.islower() for c in rest) or not is_entity_name(raw)


def registry_person_name(raw: str) -> tuple[str, str | None]:
    """("Kenneth Andrew Murphy", None) from "MURPHY, Kenneth Andrew"; the honorific apart.

    "DYSON, James, Sir" and "SMITH, Dr Jane" give ("James Dyson", "Sir") and ("Jane Smith",
    "Dr"). Post-nominal honours ("OBE") are dropped. A name without a comma is read as
    "Forenames Surname" and only re-cased.
    """
    text = " ".join(raw.split())
    if "," not in text:
        words, honorific = _take_honorific(text.split())
        return " ".join(_recase(w) for w in words), honorific
    surname, *rest = [part.strip() for part in text.split(",")]
    forenames: list[str] = []
    honorific = None
    for part in rest:
        words, found = _take_honorific(part.split())
        honorific = honorific or found
        forenames += [w for w in words if w.strip(".").lower() not in POST_NOMINALS]
    surname_words = surname.split()
    last = len(surname_words) - 1
    names = [_recase(w) for w in forenames] + [_surname_word(w, i == last) for i, w in enumerate(surname_words)]
    return " ".join(names), honorific


def _take_honorific(words: list[str]) -> tuple[list[str], str | None]:
    """Leading title words ("Sir", "Rt Hon", "Dr") split from the rest of a name part."""
    for length in (3, 2, 1):
        key = " ".join(w.strip(".").lower() for w in words[:length])
        if len(words) >= length and key in HONORIFICS:
            return words[length:], HONORIFICS[key]
    return words, None


# How legal forms and place initials are written in a name ("GMBH" -> "GmbH", "LTD" -> "Ltd").
COMPANY_WORD_FORMS = {
    "ltd": "Ltd", "llc": "LLC", "plc": "PLC", "lp": "LP", "llp": "LLP", "lllp": "LLLP", "pllc": "PLLC", "nv": "NV",
    "sa": "SA", "ag": "AG", "se": "SE", "bv": "BV", "ab": "AB", "asa": "ASA", "kg": "KG", "gmbh": "GmbH", "spa": "SpA",
    "usa": "USA", "us": "US", "uk": "UK", "eu": "EU", "uae": "UAE", "na": "NA",
}
# Small words written in lower case inside a name ("Bank of America Corp").
COMPANY_SMALL_WORDS = frozenset("of and the for in on at to by de du des la".split())
# EDGAR's tags after a conformed name: a state of incorporation or filer kind ("SEABOARD CORP /DE/").
EDGAR_TAG = re.compile(r"\s*/\s*[A-Z]{2,3}\s*/?\s*$")
_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")
# Three-letter English words and abbreviations found in register names ("NEW", "OIL", "INC"). Any other
# three-letter word in a name filed in capitals is an initialism ("UBS", "AES", "EOG", "IBM").
COMPANY_SHORT_WORDS = frozenset("""
    ace act add age aid aim ain air all any ape apt arc are ark arm art ash awe axe bag ban bar bat bay bed bee bel
    bet bid big bin bio bit bog bos bow box boy bud bug bun bus but buy cab cal can cap car cat cel cod cog com
    cop cot cow cry cub cup cut dam day del den dew dex die dig dim din dip div doe dog don dot dow dry dub due
    dug dye ear eat eco ego elk elm emu end eos era eve eye fan far fat fed fee few fig fin fir fit fix fly foe
    fog for fox fun fur gap gas gel gem geo get gig gin god got gro gum gun gut guy gym had ham has hat hay hen
    her hey hid him hip his hit hog hop hot how hub hue hug hut ice icy ill inc ing ink inn ion its ivy jam jar jaw
    jet job jog joy jug keg key kid kin kit lab lad lam lap las law lay led leg let lid lie lip lit log lot low
    mad mae mag man map mat max may med men met mid mix mob mom mop mud mug nam nap nay neo net new nor not now
    nut oak oar oat odd off oft ohm oil old one opt orb ore our out owe owl own pad pal pam pan par paw pay pea
    peg pen pep per pet phi pie pig pin pit ply pod pop pot pro pub pun pup put rad rag ram ran rap rat raw ray
    red rib rid rig rim rio rip rob rod rot row rub rug rum run rye sad sag san sat saw say sea see set sew she
    shy sin sip sir sit six ski sky sly sob sod son soy spa spy sty sub sum sun tab tag tai tan tap tar tat tax
    tea tee tek ten the tie tim tin tip toe ton too top toy tri try tub tug two use van vat vet via vie vow vox
    wax way web wed wet who why wig win wit woe wok won woo yak yam yen yes yet you yum zen zip zoo
""".split())


def company_display_name(filed: str) -> str:
    """A company name as people write it: "MICROSOFT CORP" -> "Microsoft Corp".

    Registers file most names in capitals, which read as shouting on a page. Names that
    already mix cases ("Apple Inc.", "eBay Inc.") were written by the company and stay as
    filed; only the spacing is tidied. In an all-capitals name a word keeps its capitals
    when it is an initialism: it has no vowels ("PPG", "HSBC", "AT&T", "3M"; a longer
    pronounceable one cannot be told from a word, so "NVIDIA" reads "Nvidia"), a Roman numeral, a legal form
    written in capitals ("PLC", "LLC", "AG"), or three letters that are not an English word
    ("UBS", "AES", "IBM"; but "New", "Oil", "Sky"). EDGAR's trailing state tags ("/DE/") go.
    """
    name = " ".join(filed.split())
    if any(c.islower() for c in name):
        return name
    name = EDGAR_TAG.sub("", name) or name
    return " ".join(_company_word(word, first=i == 0) for i, word in enumerate(name.split(" ")))


def _company_word(word: str, *, first: bool) -> str:
    bare = word.strip(",.()!'\"")
    key = bare.lower()
    if not first and key in COMPANY_SMALL_WORDS:
        return word.lower()
    if key in COMPANY_WORD_FORMS:
        return word.replace(bare, COMPANY_WORD_FORMS[key])
    if "&" in bare and all(len(part) <= 2 for part in bare.split("&")):  # AT&T, P&G, S&P
        return word
    return re.sub(r"[^\W\d_]+", lambda m: _company_letters(word, m), word)


def _company_letters(word: str, match: re.Match) -> str:
    """One run of letters inside a word: an initialism keeps its capitals."""
    letters, start = match.group(0), match.start()
    before = word[start - 1] if start else ""
    if before == "'" and len(letters) == 1:  # MACY'S, AIN'T
        return letters.lower()
    if before.isdigit():  # 3M and 5G stay; 21ST -> 21st
        return letters.lower() if letters in ("ST", "ND", "RD", "TH") else letters
    if len(letters) == 1 or not set(letters.lower()) & set("aeiouy") or _ROMAN.fullmatch(letters):
        return letters
    if len(letters) == 3 and letters.lower() not in COMPANY_SHORT_WORDS:
        return letters
    lower = letters.lower()
    if lower.startswith("mac") and lower[3:4] not in tuple("dgklnp"):  # MACHINES, MACRO: words, not Mac + a name
        return lower.capitalize()
    return _capitalise(letters)


def place_display_name(filed: str | None) -> str | None:
    """A city as people write it: "CUPERTINO" -> "Cupertino", "ST. LOUIS PARK" -> "St. Louis
    Park", "WINSTON-SALEM" -> "Winston-Salem". Registers file towns in capitals; a name
    that already mixes cases was written by someone and stays as it is."""
    if not filed or any(c.islower() for c in filed):
        return filed
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), " ".join(filed.split()))
