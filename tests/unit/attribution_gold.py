"""A gold set for the attribution recommender: original invented news-like paragraphs (people, places and events
made up for this test), annotated by hand before the rules were written, and never changed to suit them.

Markup: {S:…} Source, {C:…} Cue, {Q:…} Content. The annotation guidelines followed:
- Source: the speaker's whole noun phrase as written, with an appositive between commas ("The coach, Jens
  Mahler") and a prepositional tail ("Tomasz Wilk of the Baltic Institute"), without a relative clause or an
  appositive after the name when the name comes after the verb ("said Karel Vos, who …" → "Karel Vos").
- Cue: the reporting verb (one word), or "according to".
- Content: a quotation's text inside its marks, without a comma that closes it (a full stop or question mark
  inside the marks is kept); a reported clause from after "that" (or the verb) to the end of the sentence,
  without the full stop. A quotation split by its attribution is two Content spans. Scare quotes (a phrase
  quoted inside one's own sentence) are not annotated.
"""

import re

LABELS = {"S": "Source", "C": "Cue", "Q": "Content"}

PARAGRAPHS = [
    "{S:Mayor Ilse Brandt} {C:said} on Tuesday that {Q:the harbour bridge would close for repairs in March}. "
    '"{Q:We have no choice. The steel is older than most of us}," {S:she} {C:told} reporters outside the town hall. '
    'Shop owners were less convinced. "{Q:Three months without traffic will finish us}," {C:said} {S:Karel Vos}, '
    "who runs a bakery near the bridge.",
    "{S:The ministry’s spokesman, Oren Talbot}, {C:denied} {Q:the report}. “{Q:No decision has been taken on the "
    "pension age},” {S:Talbot} {C:said} in a statement. {S:He} {C:added} that “{Q:talks with the unions continue in "
    "good faith.}” {C:According to} {S:two officials familiar with the talks}, {Q:the government wants a deal before "
    "the summer recess}.",
    "In Geneva, the envoy was blunt. « {Q:The ceasefire is holding, but only just} », {S:Amina Diallo} {C:told} the "
    "council. {S:Her deputy} {C:warned} that {Q:aid convoys were still being stopped at checkpoints}. « {Q:We count "
    "every truck} », {S:he} {C:said}.",
    "{S:The coach, Jens Mahler}, {C:insisted} {Q:the team was not in crisis}. „{Q:We lost two games, not our heads}“, "
    "{S:Mahler} {C:said} after training. Asked about his own future, {S:he} {C:replied}: „{Q:That is for the board to "
    "decide.}“",
    '{S:Residents} {C:say} {Q:the new tram line has cut their commute in half}. "{Q:I used to leave at six. Now I '
    'leave at seven}," {C:said} {S:Priya Natarajan}, a nurse. Not everyone agrees. {S:The opposition leader, Marek '
    'Hollis}, {C:claimed} {Q:the project had run 40 million over budget}, a figure the city denies. "{Q:The numbers '
    'are public}," {S:a city hall official} {C:told} the Ledger.',
    "{C:According to} {S:the weather service}, {Q:the storm will reach the coast by Friday night}. {S:Officials} "
    '{C:urged} {Q:residents to stay indoors}. "{Q:Do not drive unless you must}," {S:the fire chief, Lena Okafor}, '
    "{C:said}. {S:She} {C:noted} that {Q:the last storm of this size, in 2019, flooded 300 homes}.",
    '{S:Critics} {C:call} {Q:the plan a "tax on breathing"}. The so-called "green levy" would add 4 cents to a litre '
    'of fuel. "{Q:It is a start}," {C:wrote} {S:the editors of the Morning Courier} in an editorial on Monday.',
    '"{Q:Will the factory stay open?}" {S:a worker} {C:asked} the minister. "{Q:It will, as long as I am in this '
    'job}," {S:Ruth Adeyemi} {C:replied}, "{Q:and I intend to be here a long time.}"',
    "{S:The company} {C:announced} on Monday that {Q:it would cut 1,200 jobs}. {S:Its chief executive, Noor Haddad}, "
    '{C:admitted} in a letter to staff that {Q:the decision "came too late"}. {S:Union leaders} {C:told} the Herald '
    "{Q:they would call a strike if the cuts went ahead}.",
    "“{Q:This is the wettest spring on record},” {C:says} {S:Dr. Hanna Lind}, a climatologist at the university. "
    "{Q:The previous record}, {S:she} {C:says}, {Q:was set in 1921}. “{Q:Farmers will feel this for years.}”",
    '{S:Ministry spokeswoman Vera Lanskaya} {C:told} reporters that {Q:Moscow had "no plans" to reopen the '
    'consulate}. Asked whether talks were possible, {S:Lanskaya} {C:said}: "{Q:We never close the door.}"',
    '{S:Economists} {C:warned} that {Q:inflation could return next year}. "{Q:Prices are sticky on the way down}," '
    "{C:argued} {S:Tomasz Wilk of the Baltic Institute}. {S:The central bank} {C:stated} in its report that {Q:rates "
    "would stay at 3 percent}. {S:Its governor} {C:explained}: „{Q:We would rather wait than be wrong.}“",
    "The river rose two metres overnight. {S:Volunteers} {C:said} {Q:they had filled 5,000 sandbags by dawn}, and "
    'the army arrived at noon. "{Q:We have never seen it this high}," {S:one farmer, Bram Oosting}, {C:told} the '
    "local radio. {S:The regional governor} {C:promised} {Q:compensation for every flooded farm}, "
    "{C:according to} {S:a statement from her office}.",
    "“{Q:Our readers want shorter articles},” {S:the editor, Sofia Marchetti}, {C:said} at the launch. “{Q:Nobody "
    "reads 3,000 words on a phone.}” {S:Her critics} {C:argued} that {Q:the paper was chasing clicks}. “{Q:Depth is "
    "the whole point of a newspaper},” {C:wrote} {S:one former columnist} on his blog. {S:Marchetti} {C:replied} "
    "within the hour: “{Q:Depth and length are not the same thing.}”",
    "„{Q:The border will stay closed until the vote is counted}“, {S:the interior ministry} {C:announced} late on "
    "Sunday. {S:Observers from the mission} {C:reported} {Q:long queues but no violence}. « {Q:People waited six "
    "hours to vote} », {S:its head, Karin Solberg}, {C:told} us.",
]

# Written and annotated after the rules, without running them, so that their figures here are a fairer estimate
# than on PARAGRAPHS (which the rules were developed against).
HELD_OUT = [
    'Tenants in the Oakridge blocks have gone three weeks without heating. "{Q:My children sleep in their coats}," '
    "{C:said} {S:Farida Osei}, 34. {S:The landlord, Greystone Homes}, {C:blamed} {Q:a supplier for the delay}. "
    '"{Q:Parts are on order and engineers are on site daily}," {S:a Greystone spokesperson} {C:wrote} in an email.',
    "{S:Police} {C:said} {Q:two men had been arrested after the break-in at the museum}. {C:According to} {S:the "
    "museum’s director, Paula Grieg}, {Q:nothing of value was taken}. “{Q:They went straight for the gift shop},” "
    "{S:she} {C:said}, “{Q:which tells you something about their taste.}”",
    "« {Q:We will not sign a deal that hurts our fishermen} », {S:the prime minister} {C:declared} on Saturday. "
    "{S:Her trade secretary} later {C:suggested} that {Q:a compromise on quotas was within reach}. {S:Opposition "
    "parties} {C:accused} {Q:the government of mixed messages}.",
    "„{Q:The tests were rushed},“ {C:said} {S:an engineer} who worked on the project, speaking on condition of "
    "anonymity. {S:The manufacturer} {C:rejected} {Q:that claim}. {S:It} {C:said} in a statement that {Q:every "
    "aircraft had passed certification}.",
    "“{Q:Is this the end of the high street?}” {C:asked} {S:the Evening Post} in a front-page headline. Retail "
    'analysts are less gloomy. "{Q:Footfall is down, but spending per visit is up}," {S:Omar Siddiqui of Northbank '
    'Research} {C:told} the Post. "{Q:Shops that adapt will be fine.}"',
    "{S:The minister for health, Dr. Samuel Oduya}, {C:told} parliament that {Q:waiting lists had fallen for the "
    'fourth month in a row}. "{Q:We are not there yet, but we are getting there}," {S:he} {C:said}. {S:Nurses’ '
    "unions} {C:dispute} {Q:the figures}, {C:saying} {Q:patients are simply being moved between lists}.",
    "{S:The festival’s organisers} {C:confirmed} on Friday that {Q:the headline act had cancelled}. «{Q:We are "
    "heartbroken}», {C:wrote} {S:the band} on social media. {S:Ticket holders} {C:complained} that {Q:refunds would "
    "take sixty days}.",
]

MARK = re.compile(r"\{([SCQ]):([^{}]*)\}")


def parse(marked):
    """(text, [(label name, start, end)]) of one marked paragraph."""
    text, spans, position = [], [], 0
    for match in MARK.finditer(marked):
        text.append(marked[position : match.start()])
        start = sum(map(len, text))
        text.append(match.group(2))
        spans.append((LABELS[match.group(1)], start, start + len(match.group(2))))
        position = match.end()
    text.append(marked[position:])
    return "".join(text), spans


GOLD = [parse(paragraph) for paragraph in PARAGRAPHS]
GOLD_HELD_OUT = [parse(paragraph) for paragraph in HELD_OUT]
