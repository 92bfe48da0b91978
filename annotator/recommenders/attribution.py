"""`attribution`: English reported speech as Source (the speaker), Cue (the reporting verb or "according to") and
Content (the quotation or the reported clause), by rules over the raw text: no model, no tokenizer download.

What it reads:
- quotations in straight "…", curly “…”, « … » and „ … “ marks, whose text is the Content;
- a reporting verb (REPORTING_VERBS) next to a quotation, before it ("Talbot said: “…”") or after it
  ("“…,” she told reporters", "“…,” said Karel Vos"), with the speaker's noun phrase on either side of the verb;
- a reported clause: "X said (on Tuesday) that …", "X says the …", "X told the Herald they …", and the
  parenthetical "The record, she says, was set in 1921";
- "according to X, …" and "…, according to X";
- a quotation that opens a sentence with no verb beside it, as Content alone (the speaker is in another sentence).

Scores: 0.9 for a quotation with its verb, 0.8 for "according to", 0.7 for a reported clause, 0.5 for a lone
quotation. Measured against tests/unit/attribution_gold.py in tests/unit/test_recommenders_attribution.py.
"""

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from annotator.recommenders.base import ConfigError, check_label, in_order, suggestion

KEYS = ("source", "cue", "content")
# How far from its verb a speaker or a reported clause is looked for: keeps a text of a million characters with no
# full stop linear (each verb reads at most this much on either side).
REACH = 600


def words(text):
    return frozenset(text.split())


_VERBS = """
say says said tell tells told add adds added claimed deny denies denied insist insists insisted warn warns warned
stated argue argues argued explain explains explained noted ask asks asked reply replies replied admit admits
admitted announce announces announced write writes wrote confirm confirms confirmed acknowledge acknowledges
acknowledged suggested reported declare declares declared promise promises promised complain complains complained
urge urges urged predict predicts predicted observed remarked respond responds responded recalled stressed
emphasised emphasized concede concedes conceded assert asserts asserted allege alleges alleged tweeted vowed
pledged cautioned contend contends contended conclude concludes concluded estimated boasted
"""
# Forms that are nouns as often as verbs ("claims", "notes", "reports", "states") are left out on purpose.
REPORTING_VERBS = words(_VERBS)
# Verbs that take the person spoken to as an object before the clause: "told the Herald they …".
OBJECT_VERBS = words("tell tells told ask asks asked warn warns warned promise promises promised urge urges urged")
VERB_RE = re.compile(r"\b(?:" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
ACCORDING_RE = re.compile(r"\baccording to\b", re.IGNORECASE)

# Abbreviations and initials whose full stop does not end a sentence.
ABBREVIATIONS = words(
    "mr mrs ms dr prof st gen sen rep gov lt col capt sgt jr sr inc co corp ltd no vs mt ft rev pres dept"
)
DETERMINERS = words(
    "the a an one two three some many most his her its their our my your this that these those every each no"
)
PRONOUNS = words("i you he she it we they who")
# Words that begin a reported clause when it follows the verb directly ("Residents say the tram …").
CLAUSE_OPENERS = DETERMINERS | PRONOUNS | frozenset({"there"})
# Words a speaker's noun phrase does not contain: it would be a clause, not a name.
NOT_IN_NAME = words(
    """that which is was were are be been had has have would will could should can may might did does do not
    if because while when although though but so then also however"""
)
# Where a speaker named after the verb ends: "said Karel Vos, who …", "wrote the editors in an editorial".
NAME_STOPS = re.compile(r"[,.;:!?\n]|\s(?:who|which|in|on|at|after|during|when|before|as|to|from|with|last|this)\b")
# A speaker's noun phrase before its verb, with one appositive between commas ("The coach, Jens Mahler,").
NAME_BEFORE = re.compile(r"(?:[^,;:\"“”„«»]+,[^,;:\"“”„«»]+,|[^,;:\"“”„«»]+)\s*$")
NAME_REACH = 200
# "According to X" names X up to the clause it introduces: "two officials familiar with the talks, …".
ACCORDING_STOPS = re.compile(r"[,.;:!?\n]")
OBJECTS = re.compile(
    r"\s+(?:reporters|journalists|the press|us|me|him|her|them|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"
    r"|the\s+(?:[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*|\w+))(?=[\s,.:;])"
)
CLAUSE_CUTS = re.compile(r",\s+(?:and|but|while|according to)\b|;")


class Quote(NamedTuple):
    start: int  # the opening mark
    end: int  # after the closing mark
    inner: tuple  # (start, end) of the quoted words, trimmed of spaces and a closing comma


def clean_config(config):
    """{"source", "cue", "content"} as label ids; raises ConfigError naming the first bad or missing key. The
    default (the project's labels named Source, Cue and Content) is the caller's to fill in."""
    if not isinstance(config, dict):
        raise ConfigError("", "The config must be a JSON object.")
    unknown = sorted(set(config) - set(KEYS))
    if unknown:
        raise ConfigError(unknown[0], "unknown key; attribution takes source, cue and content.")
    for key in KEYS:
        if key not in config:
            raise ConfigError(key, "a label id is required.")
    return {key: check_label(config[key], key) for key in KEYS}


def default_config(labels):
    """The config naming the project's labels called Source, Cue and Content (case-insensitive), from its labels
    [(id, name)]; raises ConfigError naming the first role no label has."""
    by_name = {}
    for label_id, name in labels:
        by_name.setdefault(name.strip().casefold(), label_id)
    config = {}
    for key in KEYS:
        if key not in by_name:
            raise ConfigError(key, f"no label is named {key.capitalize()}; give the label id for {key}.")
        config[key] = by_name[key]
    return config


def trimmed(text, start, end, strip=" \t\n\u00a0"):
    """(start, end) of text[start:end] without the characters `strip` at either end, and without a closing comma."""
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip + ",":
        end -= 1
    return start, end


def find_quotes(text):
    """Every quotation, in text order: curly, low-high, guillemets, then straight marks paired within a line."""
    quotes, taken = [], [False] * len(text)
    for pattern in (r"„[^„“”\n]{1,3000}[“”]", r"“[^“”\n]{1,3000}”", r"«[^«»\n]{1,3000}»"):
        for match in re.finditer(pattern, text):
            if not any(taken[match.start() : match.end()]):
                quotes.append(match.span())
                taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    for line in re.finditer(r"[^\n]+", text):
        marks = [m.start() for m in re.finditer('"', line.group()) if not taken[line.start() + m.start()]]
        for opening, closing in zip(marks[::2], marks[1::2], strict=False):
            quotes.append((line.start() + opening, line.start() + closing + 1))
    quotes.sort()
    quotes = [Quote(start, end, trimmed(text, start + 1, end - 1)) for start, end in quotes]
    return [quote for quote in quotes if quote.inner[0] < quote.inner[1]]


def masked(text, quotes):
    """`text` with every quotation's words blanked out, so that nothing inside a quote reads as a verb or a full
    stop; same length, so offsets are the same."""
    chars = list(text)
    for quote in quotes:
        chars[quote.start + 1 : quote.end - 1] = "x" * (quote.end - quote.start - 2)
    return "".join(chars)


def sentence_starts(text, plain, quotes):
    """Sorted offsets where a sentence begins: after . ! ? (or a quotation ending in one) and white space, before
    a capital letter, a digit or a quotation; never after an abbreviation or an initial; after every line end."""
    openings = {quote.start for quote in quotes}
    closes_sentence = {quote.end for quote in quotes if text[quote.inner[1] - 1 : quote.inner[1]] in (".", "!", "?")}
    starts = [0]
    for match in re.finditer(r"(?:[.!?]|(?<=[”“»\"]))\s+", plain):
        after = match.end()
        if after >= len(text):
            continue
        if "\n" in match.group():
            starts.append(after)
            continue
        end = match.start()
        if plain[end] not in ".!?" and end not in closes_sentence:
            continue
        if plain[end] == "." and abbreviated(plain, end):
            continue
        if text[after].isupper() or text[after].isdigit() or after in openings:
            starts.append(after)
    return starts


def abbreviated(plain, stop):
    """Whether the full stop at `stop` closes an abbreviation ("Dr.") or an initial ("J.")."""
    word = re.search(r"(\w+)$", plain[max(0, stop - 12) : stop])
    return bool(word) and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1)


def is_name(text):
    """Whether `text` reads as a speaker's noun phrase: 1 to 10 words, beginning with a capital, a determiner or a
    pronoun, and no word that makes it a clause."""
    words = re.findall(r"[\w’'.-]+", text)
    if not words or len(words) > 10 or any(w.lower() in NOT_IN_NAME for w in words):
        return False
    first = words[0]
    return first[0].isupper() or first.lower() in DETERMINERS or first.lower() in PRONOUNS


def name_before(plain, start, end):
    """(start, end) of the speaker's noun phrase that ends plain[start:end] ("The coach, Jens Mahler," or "he"
    after "Asked about his future,"), or None. Only the last NAME_REACH characters are read: a name is shorter."""
    floor = max(start, end - NAME_REACH)
    match = NAME_BEFORE.search(plain, floor, end)
    if not match or (match.start() == floor > start and plain[floor - 1] not in ',;:"“”„«»'):
        return None
    s, e = trimmed(plain, match.start(), match.end())
    return (s, e) if s < e and is_name(plain[s:e]) else None


def name_after(plain, start, end, stops=NAME_STOPS):
    """(start, end) of a speaker named right after the verb ("said Karel Vos, who …", "says Dr. Hanna Lind, a …"),
    or None. A full stop after an abbreviation or an initial does not end the name."""
    position = start
    while stop := stops.search(plain, position, end):
        if stop.group() != "." or not abbreviated(plain, stop.start()):
            break
        position = stop.end()
    s, e = trimmed(plain, start, stop.start() if stop else end)
    return (s, e) if s < e and is_name(plain[s:e]) else None


def clause(plain, start, end):
    """(start, end) of a reported clause from `start` to the sentence's end (`end`), cut before ", and …",
    ", according to …" or ";", without the closing full stop."""
    cut = CLAUSE_CUTS.search(plain, start, end)
    s, e = trimmed(plain, start, cut.start() if cut else end, strip=" \t\n\u00a0.!?")
    return (s, e) if s < e else None


class Attribution:
    """Built once per job from a config (checked by clean_config); `suggest(text)` per document."""

    def __init__(self, config):
        config = clean_config(config)
        self.source, self.cue, self.content = config["source"], config["cue"], config["content"]

    def suggest(self, text):
        quotes = find_quotes(text)
        plain = masked(text, quotes)
        starts = sentence_starts(text, plain, quotes)
        quote_starts = [quote.start for quote in quotes]
        found, used = [], set()

        def sentence(position):
            index = bisect_right(starts, position) - 1
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            return max(starts[index], position - REACH), min(end, position + REACH)

        def add(label, span, score):
            if span and span[0] < span[1]:
                found.append(suggestion(label, span[0], span[1], score))

        for verb in VERB_RE.finditer(plain):
            contents, source, score = self._reported(text, plain, quote_starts, quotes, verb, sentence(verb.start()))
            if not contents:
                continue
            used.update(contents)
            add(self.cue, verb.span(), score)
            add(self.source, source, score)
            for span in contents:
                add(self.content, span, score)

        for according in ACCORDING_RE.finditer(plain):
            start, end = sentence(according.start())
            source = name_after(plain, according.end(), end, stops=ACCORDING_STOPS)
            if not source:
                continue
            add(self.cue, according.span(), 0.8)
            add(self.source, source, 0.8)
            before = plain[start : according.start()]
            if before.strip() and not VERB_RE.search(before):
                add(self.content, clause(plain, start, according.start()), 0.8)
            elif not before.strip() and plain[source[1] : source[1] + 1] == ",":
                add(self.content, clause(plain, source[1] + 1, end), 0.8)

        for quote in quotes:
            inner = quote.inner
            if inner in used or len(text[inner[0] : inner[1]].split()) < 4:
                continue
            if sentence(quote.start)[0] == quote.start:
                add(self.content, inner, 0.5)
        return in_order(found)

    def _reported(self, text, plain, quote_starts, quotes, verb, bounds):
        """([content spans], source span or None, score) for one reporting verb in its sentence."""
        start, end = bounds
        nearby = quotes[bisect_left(quote_starts, start) : bisect_left(quote_starts, end)]
        before = [q for q in nearby if q.end <= verb.start()]
        after = [q for q in nearby if verb.end() <= q.start and q.end <= end]
        # "“…,” she said" / "“…,” said X" / "“…,” X, a …, said": the quotation just before the verb.
        if before:
            quote = before[-1]
            between = plain[quote.end : verb.start()]
            if re.fullmatch(r"[\s,]*", between):
                source = name_after(plain, verb.end(), end)
            else:
                source = name_before(plain, quote.end, verb.start())
                if (
                    source is None
                    or plain[quote.end : source[0]].strip(" ,")
                    or plain[source[1] : verb.start()].strip(" ,")
                ):
                    source = None
            if source is not None or re.fullmatch(r"[\s,]*", between):
                contents = [quote.inner]
                follow = [q for q in after if text[q.inner[0] : q.inner[0] + 1].islower()]
                if follow and re.fullmatch(r"[^.;:!?\"“”„«»]*,\s*", plain[verb.end() : follow[0].start]):
                    contents.append(follow[0].inner)
                return contents, source, 0.9
        source = name_before(plain, start, verb.start())
        if source is None:
            return [], None, 0
        rest = plain[verb.end() : end]
        # "X said: “…”" or "X replied within the hour: “…”"
        colon = re.match(r"[^.;:!?\"“”„«»]{0,60}:\s*", rest)
        if colon and after and after[0].start == verb.end() + colon.end():
            return [after[0].inner], source, 0.9
        # "X said (on Tuesday) that …"
        that = re.match(r"(?:\s+[^\s.;:!?\"“”„«»]+){0,8}?\s+that\s+", rest)
        if that:
            opening = verb.end() + that.end()
            if after and after[0].start == opening and not plain[after[0].end : end].strip(" .!?\n"):
                return [after[0].inner], source, 0.9
            return [clause(plain, opening, end)], source, 0.7
        # "The record, she says, was set in 1921"
        if rest.startswith(",") and plain[start : source[0]].rstrip().endswith(","):
            first = clause(plain, start, source[0])
            second = clause(plain, verb.end() + 1, end)
            return [span for span in (first, second) if span], source, 0.7
        # "Residents say the tram …", "X told the Herald they …"
        opening = verb.end()
        if verb.group().lower() in OBJECT_VERBS:
            obj = OBJECTS.match(plain, opening, end)
            if obj is None:
                return [], None, 0
            opening = obj.end()
        word = re.match(r"\s+([\w’']+)", plain[opening:end])
        if word and word.group(1).lower() in CLAUSE_OPENERS:
            return [clause(plain, opening, end)], source, 0.7
        return [], None, 0
