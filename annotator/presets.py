"""Label presets a project can start from: each label has a colour, a unique one-character key and a one-line guideline.

Every label is a dict with:

* ``name`` -- the label shown to annotators (unique within a preset),
* ``key`` -- a single keyboard shortcut character (unique within a preset),
* ``color`` -- a ``#rrggbb`` highlight colour that keeps black text readable (7:1), not a grey, and at least
  15 CIEDE2000 apart from every other colour of its preset (tests/unit/test_palettes.py says why),
* ``description`` -- a one-sentence guideline written for Slant.

The descriptions are short paraphrases meant as reminders; they are not the
wording of any published codebook.
"""

PRESETS: dict[str, list[dict]] = {
    # General-purpose labels for analysing how news reports frame events.
    "framing": [
        {
            "name": "Source attribution",
            "key": "s",
            "color": "#a0c4ff",
            "description": "Who a claim is credited to, including the reporting verb or phrase "
            "(said, told reporters, according to).",
        },
        {
            "name": "Editorial appeal",
            "key": "e",
            "color": "#ffd166",
            "description": "The outlet addressing its own readers, e.g. asking for donations or "
            "subscriptions, or voicing the publication's own stance.",
        },
        {
            "name": "Diplomatic claim",
            "key": "d",
            "color": "#b5e48c",
            "description": "An assertion by an envoy, ambassador or foreign ministry about talks, "
            "relations between states or another country's conduct.",
        },
        {
            "name": "Loaded language",
            "key": "l",
            "color": "#ffafcc",
            "description": "Emotionally charged wording that pushes the reader toward a reaction "
            "instead of describing events neutrally.",
        },
        {
            "name": "Anonymous source",
            "key": "a",
            "color": "#be95ef",
            "description": "A source whose identity is withheld, such as an unnamed official or "
            "someone speaking on condition of anonymity.",
        },
        {
            "name": "Official statement",
            "key": "o",
            "color": "#00c188",
            "description": "The substance of a formal position, pledge or decision announced by a "
            "government body, institution or company.",
        },
        {
            "name": "Casualty or damage claim",
            "key": "c",
            "color": "#ff9f80",
            "description": "Figures or descriptions of deaths, injuries, displacement or destruction "
            "of homes, property and infrastructure.",
        },
        {
            "name": "Call to action",
            "key": "t",
            "color": "#80ded9",
            "description": "Wording that urges the public or a named party to do something: vote, "
            "attend, donate, protest, resign or respond.",
        },
        {
            "name": "Denial",
            "key": "n",
            "color": "#aaac30",
            "description": "An explicit rejection of an accusation, report or rumour by the party "
            "it concerns or by someone speaking for them.",
        },
        {
            "name": "Speculation",
            "key": "p",
            "color": "#1fb4db",
            "description": "A prediction, guess or hedged interpretation of what may happen next or "
            "what an event probably means.",
        },
    ],
    # The 15 frame dimensions of the Media Frames Corpus (Boydstun et al.), paraphrased.
    "media-frames": [
        {
            "name": "Economic",
            "key": "1",
            "color": "#e78ea1",
            "description": "Costs, benefits, money, jobs or other financial consequences of an "
            "issue for people, firms or the state.",
        },
        {
            "name": "Capacity and resources",
            "key": "2",
            "color": "#ff8354",
            "description": "Whether enough physical, human or material resources exist to deal "
            "with the issue, or whether they are running short.",
        },
        {
            "name": "Morality",
            "key": "3",
            "color": "#feccb8",
            "description": "Right and wrong framed in ethical, religious or duty-based terms, "
            "including appeals to conscience.",
        },
        {
            "name": "Fairness and equality",
            "key": "4",
            "color": "#feaf49",
            "description": "Whether rules, rights or burdens are applied equally across groups, "
            "and who is treated unjustly.",
        },
        {
            "name": "Legality, constitutionality and jurisprudence",
            "key": "5",
            "color": "#f8e160",
            "description": "Laws, court rulings, constitutional limits and legal rights or "
            "liabilities connected to the issue.",
        },
        {
            "name": "Policy prescription and evaluation",
            "key": "6",
            "color": "#b0a776",
            "description": "Proposed or existing policies and judgements about whether they work or would work.",
        },
        {
            "name": "Crime and punishment",
            "key": "7",
            "color": "#d3eec2",
            "description": "Breaking the law, enforcement, sentencing and the consequences of criminal behaviour.",
        },
        {
            "name": "Security and defense",
            "key": "8",
            "color": "#60ba5a",
            "description": "Threats to a country, community or person and measures taken to protect against them.",
        },
        {
            "name": "Health and safety",
            "key": "9",
            "color": "#19ffd3",
            "description": "Physical or mental health, disease, injury, access to care and public safety risks.",
        },
        {
            "name": "Quality of life",
            "key": "q",
            "color": "#15bcb9",
            "description": "How the issue affects everyday wellbeing, convenience, happiness or "
            "living conditions of individuals and communities.",
        },
        {
            "name": "Cultural identity",
            "key": "c",
            "color": "#adeeff",
            "description": "Traditions, customs, language or values that define a group and how "
            "the issue relates to them.",
        },
        {
            "name": "Public opinion",
            "key": "p",
            "color": "#1eb7ff",
            "description": "What the public thinks or feels, including polls, protests and "
            "descriptions of popular mood.",
        },
        {
            "name": "Political",
            "key": "l",
            "color": "#9dabf7",
            "description": "Partisan manoeuvring, elections, lobbying and the political "
            "consequences of the issue for parties or leaders.",
        },
        {
            "name": "External regulation and reputation",
            "key": "x",
            "color": "#e586ee",
            "description": "A country's standing abroad, relations with other states and "
            "international rules or pressure.",
        },
        {
            "name": "Other",
            "key": "o",
            "color": "#ffd5ff",
            "description": "Framing that does not fit any of the other fourteen dimensions.",
        },
    ],
    # The 23 persuasion techniques of SemEval-2023 Task 3, subtask 3, paraphrased.
    "persuasion": [
        {
            "name": "Appeal to Authority",
            "key": "a",
            "color": "#fab4b6",
            "description": "Treating a claim as true mainly because an expert, leader or institution backs it.",
        },
        {
            "name": "Appeal to Popularity",
            "key": "p",
            "color": "#fd6976",
            "description": "Arguing that something is right or true because many or most people accept it.",
        },
        {
            "name": "Appeal to Values",
            "key": "v",
            "color": "#f47f51",
            "description": "Linking a position to cherished values such as tradition, freedom "
            "or religion to win support for it.",
        },
        {
            "name": "Appeal to Fear-Prejudice",
            "key": "f",
            "color": "#b59375",
            "description": "Stirring anxiety or existing prejudice about a group or outcome to "
            "promote an idea or reject an alternative.",
        },
        {
            "name": "Flag Waving",
            "key": "w",
            "color": "#f4a949",
            "description": "Justifying a stance by appealing to national or group pride and loyalty.",
        },
        {
            "name": "Causal Oversimplification",
            "key": "c",
            "color": "#ffdfbb",
            "description": "Blaming a complex outcome on a single cause while ignoring other contributing factors.",
        },
        {
            "name": "False Dilemma-No Choice",
            "key": "d",
            "color": "#ae9d24",
            "description": "Presenting only two options, or a single one, when more possibilities actually exist.",
        },
        {
            "name": "Consequential Oversimplification",
            "key": "i",
            "color": "#f6e56f",
            "description": "Claiming that one step will inevitably set off a chain of extreme "
            "consequences (a slippery-slope argument).",
        },
        {
            "name": "Straw Man",
            "key": "s",
            "color": "#939e77",
            "description": "Rebutting a distorted or weakened version of an opponent's argument "
            "instead of what they actually said.",
        },
        {
            "name": "Red Herring",
            "key": "h",
            "color": "#9ccb57",
            "description": "Steering attention to an unrelated topic to avoid the point being discussed.",
        },
        {
            "name": "Whataboutism",
            "key": "b",
            "color": "#d9eec2",
            "description": "Deflecting criticism by pointing at a supposedly similar failing of "
            "the critic or someone else.",
        },
        {
            "name": "Slogans",
            "key": "m",
            "color": "#03af67",
            "description": "A short, catchy phrase used in place of an argument, often with emotional pull.",
        },
        {
            "name": "Appeal to Time",
            "key": "t",
            "color": "#23f4bd",
            "description": "Insisting that action must happen now, or that the moment has come, "
            "as the main reason to act.",
        },
        {
            "name": "Conversation Killer",
            "key": "k",
            "color": "#70b8aa",
            "description": "A phrase meant to end discussion or discourage further thought, "
            "such as dismissing a question outright.",
        },
        {
            "name": "Loaded Language",
            "key": "l",
            "color": "#9cfaf9",
            "description": "Words or phrases with strong emotional connotations used to sway the reader.",
        },
        {
            "name": "Repetition",
            "key": "r",
            "color": "#0ba8c5",
            "description": "Restating the same message or phrase over and over so that it sticks "
            "and seems more credible.",
        },
        {
            "name": "Exaggeration-Minimisation",
            "key": "e",
            "color": "#93d6fe",
            "description": "Making something seem much bigger or much smaller, better or worse, than it really is.",
        },
        {
            "name": "Obfuscation-Vagueness-Confusion",
            "key": "o",
            "color": "#3a9efe",
            "description": "Deliberately unclear wording that lets the audience read in whatever meaning suits them.",
        },
        {
            "name": "Name Calling-Labeling",
            "key": "n",
            "color": "#c1c7f2",
            "description": "Attaching an insulting or admiring label to a person or group to shape how they are seen.",
        },
        {
            "name": "Doubt",
            "key": "u",
            "color": "#8f8ef4",
            "description": "Casting doubt on someone's credibility, competence or motives rather "
            "than engaging with their argument.",
        },
        {
            "name": "Guilt by Association",
            "key": "g",
            "color": "#ad92b6",
            "description": "Discrediting a person or idea by connecting it to a group or figure "
            "the audience already dislikes.",
        },
        {
            "name": "Appeal to Hypocrisy",
            "key": "y",
            "color": "#febbff",
            "description": "Attacking a target as a hypocrite whose actions contradict their "
            "words, to undermine their position.",
        },
        {
            "name": "Questioning the Reputation",
            "key": "q",
            "color": "#f973bb",
            "description": "Undermining the character or standing of a person or group with "
            "negative claims unrelated to the argument.",
        },
    ],
    # The three attribution elements used in the PARC attribution corpus.
    "attribution": [
        {
            "name": "Source",
            "key": "s",
            "color": "#a0c4ff",
            "description": "The person, group or document that the reported content comes from.",
        },
        {
            "name": "Cue",
            "key": "c",
            "color": "#ffd166",
            "description": "The word or phrase that links a source to its content, typically a "
            "reporting verb such as said or according to.",
        },
        {
            "name": "Content",
            "key": "t",
            "color": "#b5e48c",
            "description": "What is being attributed: the quoted or paraphrased statement, belief or claim.",
        },
    ],
}

# The other layers a preset carries: its relation types, each with the names of the labels its ends allow (empty:
# any). Keys differ from the preset's label keys, so one keyboard serves both on the annotate page.
RELATION_PRESETS: dict[str, list[dict]] = {
    # PARC's attribution relation: the cue links its source and its content.
    "attribution": [
        {
            "name": "source",
            "key": "o",
            "color": "#3d85c6",
            "description": "From a cue to the source it attributes the content to: who said it.",
            "from_labels": ["Cue"],
            "to_labels": ["Source"],
        },
        {
            "name": "content",
            "key": "n",
            "color": "#6aa84f",
            "description": "From a cue to the content it attributes: what was said.",
            "from_labels": ["Cue"],
            "to_labels": ["Content"],
        },
    ],
}

# The Media Frames Corpus's 15 frames, as the `media-frames` preset's labels name them; SemEval-2023 Task 3's
# subtask 2 frames an article with the same dimensions but "Other": 14.
MEDIA_FRAMES = [label["name"] for label in PRESETS["media-frames"]]
SEMEVAL_FRAMES = [name for name in MEDIA_FRAMES if name != "Other"]

# The document questions a preset carries, each with the fields a question POST takes. Keys differ from the preset's
# label keys, as its relation types' do. None is required: an owner who wants one answered before submit says so.
QUESTION_PRESETS: dict[str, list[dict]] = {
    # The Media Frames Corpus codes each article's primary frame and its tone towards the issue.
    "media-frames": [
        {
            "name": "Primary frame",
            "kind": "single",
            "options": MEDIA_FRAMES,
            "key": "f",
            "description": "The one frame that dominates the article as a whole.",
        },
        {
            "name": "Tone",
            "kind": "single",
            "options": ["pro", "neutral", "anti"],
            "key": "t",
            "description": "Whether the article as a whole leans for the issue, against it, or neither.",
        },
    ],
    # SemEval-2023 Task 3 labels each article's genre (subtask 1) and the frames it uses (subtask 2).
    "persuasion": [
        {
            "name": "Genre",
            "kind": "single",
            "options": ["opinion", "reporting", "satire"],
            "key": "x",
            "description": "Whether the article argues a view, reports events, or mocks them.",
        },
        {
            "name": "Frames",
            "kind": "multi",
            "options": SEMEVAL_FRAMES,
            "key": "z",
            "description": "Every frame the article uses to present its subject, one or more.",
        },
    ],
}

DEFAULT_PRESET = "framing"
