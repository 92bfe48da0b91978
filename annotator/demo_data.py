"""Original demo articles and spans for `manage.py load_demo` (written for Slant, not taken from any outlet).

Everything here is invented: the countries, cities, people, outlets and the news agency
("Meridian Press Agency") are fictional, and every article was written for this demo.

``DEMO_SPANS`` maps an article's ``external_id`` to each annotator's spans. A span is a
``(phrase, label)`` pair: the phrase is an exact substring of the article text (its first
occurrence is meant) and the label is a name from ``PRESETS["framing"]``. The two annotators
deliberately disagree in places (boundaries, labels, missed spans) so that agreement and
review screens have something to show.

The framing labels have no relation types of their own, so the demo adds one, ``Says`` (who is
credited → what they are credited with saying), and ``DEMO_RELATIONS`` links each annotator's
attribution spans to the quotes they introduce, again partly disagreeing. Nor do they carry document
questions: the demo adds a primary frame, a tone, frames and a slant scale (``DEMO_QUESTIONS``), which both
annotators answer (``DEMO_ANSWERS``), partly disagreeing.
"""

from annotator.presets import MEDIA_FRAMES, SEMEVAL_FRAMES

DEMO_USERS = [  # username, role in the demo project
    ("olga", "owner"),
    ("anna", "annotator"),
    ("ben", "annotator"),
    ("rita", "reviewer"),
]

DEMO_GUIDELINES = """\
# How to apply the framing labels

Read the whole article once before you start highlighting.

## Spans
- Mark the **shortest span that still carries the frame**. Leave out trailing punctuation,
  quotation marks and filler words unless they change the meaning.
- For **Source attribution**, include the name or description of the source *and* the
  attribution verb or phrase: `Revik told reporters`, `according to the agency`,
  `the ministry said in a statement`.
- Do not include the attribution inside the claim span. Quote and attribution are two
  separate spans, even when they sit right next to each other.
- Spans may overlap or nest when two frames really apply, e.g. a **Call to action**
  ("please donate today") inside a longer **Editorial appeal**.

## Choosing a label
- **Editorial appeal** is only for the outlet speaking for itself (donation requests,
  "a note to our readers"). A politician urging voters is a **Call to action**.
- **Diplomatic claim** is for envoys, ambassadors and foreign ministries talking about
  negotiations or other states. A domestic spokesperson's pledge is an **Official statement**.
- **Anonymous source**: mark the description of the unnamed person ("a diplomat familiar
  with the talks"), including the anonymity condition if it follows directly.
- **Denial** needs an explicit rejection; a refusal to comment is not a denial.
- Use **Speculation** for hedged or forward-looking claims ("could", "likely", "may").

## When unsure
- Pick the label that best explains *why* the sentence is framed the way it is, and leave
  a comment on the span for the reviewer.
- Annotate articles in other languages (e.g. Russian) with the same English labels.
"""

DEMO_PROJECT = {
    "name": "Regional wire coverage (demo)",
    "description": (
        "Eight invented wire-style reports (one in Russian) for trying out span annotation "
        "with the framing labels, inter-annotator agreement and review."
    ),
    "guidelines": DEMO_GUIDELINES,
}

ARTICLES: list[dict] = [
    {
        "external_id": "demo-001",
        "title": "Envoys trade blame as Lorvan ceasefire talks stall for a third day",
        "source": "Harbour Ledger",
        "url": "https://example.org/harbour-ledger/2026/03/14/lorvan-ceasefire-talks-stall",
        "author": "Nadia Ferrante",
        "published_at": "2026-03-14T09:30:00Z",
        "language": "en",
        "text": "\n\n".join(
            [
                "GENVRAL, March 14 (MPA) - Talks aimed at extending the ceasefire between Lorvan and "
                "neighbouring Ostria stalled for a third consecutive day on Saturday, with each delegation "
                "accusing the other of negotiating in bad faith.",
                "Ostria's envoy to the talks, Ambassador Helene Marck, said her government had \"offered "
                'every reasonable concession" and that Lorvan was "using the pause to rearm." Speaking '
                "outside the conference hall, she added that Ostria remained committed to a negotiated "
                "settlement.",
                "Lorvan's foreign ministry spokesman, Tomas Revik, rejected the accusation. \"These claims "
                'are false and Ms. Marck knows it," Revik told reporters in the capital, Dresk. "Our forces '
                'have not moved a single battalion since the agreement was signed."',
                "According to the Meridian Press Agency, mediators from the Coastal States Forum have "
                "proposed a phased withdrawal of artillery from a 20-kilometre strip along the border, but "
                "neither side had formally accepted the plan by Saturday evening.",
                "A diplomat familiar with the negotiations, who spoke on condition of anonymity because the "
                "talks are confidential, said the main sticking point was the order of prisoner exchanges. "
                '"Nobody wants to blink first," the diplomat said.',
                "Shelling near the border town of Hallin overnight damaged a water pumping station and left "
                "about 4,000 residents without running water, local officials said. There were no reports of "
                "casualties.",
                "The talks are scheduled to resume on Monday. Analysts warned that a breakdown could push the "
                "region back into open fighting before the spring planting season.",
            ]
        ),
    },
    {
        "external_id": "demo-002",
        "title": "Floods displace thousands in Seravan delta as rivers keep rising",
        "source": "Baltmere Daily",
        "url": "https://example.org/baltmere-daily/2026/03/15/seravan-delta-floods",
        "author": "Piotr Alvane",
        "published_at": "2026-03-15T14:05:00Z",
        "language": "en",
        "text": "\n\n".join(
            [
                "PORT ALDANY, March 15 (MPA) - Floodwater swept through at least 30 villages in the Seravan "
                "delta over the weekend, forcing more than 12,000 people from their homes, the regional "
                "emergency office said on Sunday.",
                "At least nine people have died and dozens are missing, according to the Meridian Press "
                "Agency, which cited hospital staff in the town of Keld. The emergency office put the "
                "confirmed death toll at six and said it was still verifying other reports.",
                '"The water came up through the floor in under an hour," said Mirela Dasco, a 54-year-old '
                'farmer sheltering with her two grandchildren in a school gymnasium. "We left with the '
                'clothes we were wearing."',
                "Interior ministry spokeswoman Ana Velik said in a statement that the government had released "
                "40 million crowns from its reserve fund and sent army engineers to reinforce embankments "
                'along the lower Seravan. "Every family that has lost its home will receive temporary '
                'housing," the statement said.',
                "An aid worker in Keld, who asked not to be named because she was not authorised to speak to "
                "the media, said supplies of clean drinking water would run out within three days unless road "
                "access was restored.",
                "Forecasters expect more rain by midweek, and some engineers said privately that one of the "
                "older dams upstream could be at risk if the reservoir kept filling at its current rate.",
                "Volunteers have urged people in unaffected districts to donate blankets, tinned food and "
                "baby formula at collection points set up in municipal halls.",
            ]
        ),
    },
    {
        "external_id": "demo-003",
        "title": "Agriculture ministry denies plan to halt grain exports",
        "source": "The Tessaly Observer",
        "url": "https://example.org/tessaly-observer/2026/03/16/ministry-denies-grain-export-ban",
        "author": "Lena Moravec",
        "published_at": "2026-03-16T11:20:00Z",
        "language": "en",
        "text": "\n\n".join(
            [
                "VARNHOLD, March 16 - The agriculture ministry on Monday denied a newspaper report that the "
                'government was preparing to suspend wheat and barley exports, calling the story "pure '
                'invention."',
                "The report, published over the weekend by the Varnhold Evening Bell, cited two unnamed "
                "officials who said a ban could be announced as early as next week to keep bread prices in "
                "check.",
                '"There is no such plan, there has never been such a plan, and anyone repeating this rumour '
                'is doing real damage to our farmers," ministry spokesman Pavel Orsic told reporters at a '
                "briefing. He said export contracts signed before the end of the year would be honoured in "
                "full.",
                'In a statement issued later in the day, the ministry said domestic stocks were "more than '
                'sufficient" and that prices had risen mainly because of higher fuel and fertiliser costs.',
                "Grain traders were not entirely reassured. Wheat futures rose 3 percent in early trading "
                'before easing after the briefing. "They said the same thing about sunflower oil two years '
                'ago, and then the ban came anyway," one trader said, speaking on condition of anonymity.',
                "Opposition lawmaker Katja Breuer accused the government of \"playing games with people's "
                'livelihoods" and called on the minister to appear before parliament to explain the policy. '
                "Farmers' unions said they would seek a meeting with the ministry this week.",
                "The Evening Bell said it stood by its reporting.",
            ]
        ),
    },
    {
        "external_id": "demo-004",
        "title": "Residents rally online after Kessmoor footbridge collapse",
        "source": "Northgate Courier",
        "url": "https://example.org/northgate-courier/2026/03/17/kessmoor-footbridge-collapse",
        "author": "Sam Okonkwo-Reyes",
        "published_at": "2026-03-17T07:45:00Z",
        "language": "en",
        "text": "\n\n".join(
            [
                "KESSMOOR, March 17 - A pedestrian footbridge over the Ambry canal collapsed early on "
                "Tuesday, injuring five people, two of them seriously, the city's fire service said.",
                "Within hours, residents had organised on social media to help the injured and the families "
                "whose homes beside the canal were evacuated as a precaution.",
                '"👨\u200d👩\u200d👧 Our neighbours on Canal Row need a place to stay tonight. If you have a '
                'spare room, message me," local teacher Ines Halvard wrote in a post that was shared more '
                'than 8,000 times. Another user replied: "👍🏽 Done, we can take a family of four. Bring them '
                'over."',
                "A video filmed by a passer-by and viewed widely online appeared to show cracks in the "
                "bridge's supports weeks before the collapse. \"🙏 We told the council about this in January "
                'and nobody came," one resident wrote beneath the clip.',
                "Deputy mayor Lorenz Aubel told reporters at the scene that engineers would inspect every "
                'bridge of similar design in the city by the end of the month. "We will find out exactly what '
                'went wrong, and if anyone ignored warnings, they will be held responsible," he said.',
                "The city council said in a statement that it had no record of a formal complaint about the "
                "bridge but would review its correspondence. Local media reported that the bridge was last "
                "inspected in 2019.",
                'Opposition councillors demanded an independent inquiry, saying the administration had "let '
                "the city's infrastructure rot for a decade.\"",
            ]
        ),
    },
    {
        "external_id": "demo-005",
        "title": "Independent Corvin daily warns it may close within months",
        "source": "The Corvin Post",
        "url": "https://example.org/corvin-post/2026/03/18/corvin-post-may-close",
        "author": "Staff reporter",
        "published_at": "2026-03-18T16:00:00Z",
        "language": "en",
        "text": "\n\n".join(
            [
                "CORVIN, March 18 - The Corvin Post, the last independent daily in the northern province, "
                "said on Wednesday that it could be forced to stop printing by the summer after two of its "
                "largest advertisers pulled out.",
                "Editor-in-chief Marta Lindqvist said advertising revenue had fallen by almost half in "
                "eighteen months and that the paper had already reduced its print run and closed its bureau "
                "in the river port of Sallow.",
                '"We are not asking for sympathy. We are asking people to decide whether they want someone in '
                "this province to keep asking awkward questions,\" Lindqvist told reporters at the paper's "
                "offices.",
                "Media researchers said the Post's troubles reflected a wider trend. A study published last "
                "year by the Institute for Regional Media found that a third of local newspapers in the "
                "country had closed or merged within a decade.",
                "Governor's office spokesman Emil Rask said in a statement that the administration \"values a "
                "free press\" but that it was not the government's role to rescue private businesses.",
                "A note to our readers: Independent journalism costs money, and we rely on you. If you value "
                "our reporting on the province, please donate today - even a small monthly contribution keeps "
                "our reporters in the field. Visit our website to become a supporter.",
            ]
        ),
    },
    {
        "external_id": "demo-006",
        "title": "Karsk envoy says pipeline deal 'within reach' despite sanctions row",
        "source": "Eastbridge Chronicle",
        "url": "https://example.org/eastbridge-chronicle/2026/03/19/karsk-velmark-pipeline",
        "author": "Jonas Elmqvist",
        "published_at": "2026-03-19T12:15:00Z",
        "language": "en",
        "text": "\n\n".join(
            [
                "SOLVENGRAD, March 19 (MPA) - Karsk's envoy to the Northern Energy Council, Дмитрий Соколов "
                "(Dmitry Sokolov), said on Thursday that an agreement on a new gas pipeline with neighbouring "
                'Velmark was "within reach," despite a dispute over trade sanctions that has soured relations '
                "between the two countries.",
                "After a closed-door meeting, Соколов said both sides had agreed on the route and the volume "
                'of deliveries, and that only "technical questions of pricing" remained. "Our partners '
                "understand that this project serves the interests of ordinary people on both sides of the "
                'border," he said.',
                "Velmark's foreign ministry was more cautious. Spokeswoman Liisa Tamm told reporters that "
                '"no agreement exists until every clause is signed" and that Velmark would not discuss energy '
                "while its exporters remained under Karsk sanctions.",
                "According to the Meridian Press Agency, which cited two people briefed on the talks, Karsk "
                "has offered a discount of up to 15 percent on gas for the first five years in exchange for "
                "Velmark lifting its counter-tariffs on fertiliser.",
                "Energy analyst Наталья Петрова of the Solvengrad Institute for Economic Studies said the "
                "envoy's optimism was probably aimed at audiences at home. \"Saying a deal is close costs "
                'nothing and buys time," she said. "The real test is whether anyone signs before winter."',
                "The Karsk embassy in Velmark said in a statement that reports of a discount were "
                '"speculation with no basis in fact."',
                "The council is due to meet again in April.",
            ]
        ),
    },
    {
        "external_id": "demo-007",
        "title": "Открытие моста в Северогорске откладывается минимум на полгода",
        "source": "Северный вестник",
        "url": "https://example.org/severny-vestnik/2026/03/20/most-severogorsk",
        "author": "Анна Кравец",
        "published_at": "2026-03-20T08:10:00Z",
        "language": "ru",
        "text": "\n\n".join(
            [
                "СЕВЕРОГОРСК, 20 марта - Строительство нового моста через реку Ялму в Северогорске завершится "
                "как минимум на полгода позже намеченного срока, сообщил в пятницу пресс-секретарь городской "
                "администрации Игорь Лебедев.",
                "«Подрядчик столкнулся с трудностями при поставке металлоконструкций, но мы не допустим, "
                "чтобы горожане остались без переправы», - заявил Лебедев журналистам. По его словам, паром "
                "будет ходить бесплатно до открытия моста.",
                "Как сообщает агентство «Меридиан», стоимость проекта за последний год выросла почти на "
                "треть. Источник в строительной компании, пожелавший остаться неназванным, утверждает, что "
                "часть средств ушла на исправление ошибок в первоначальном проекте.",
                "В администрации эту информацию опровергли. «Никаких ошибок в проекте не было, все расчеты "
                "прошли государственную экспертизу», - говорится в заявлении мэрии.",
                "Жители правого берега недовольны задержкой. «Каждое утро мы теряем по два часа в очереди на "
                "паром. Это издевательство над людьми», - рассказала учительница Ольга Миронова.",
                "Депутат городской думы Сергей Ветров призвал горожан прийти на публичные слушания 28 марта и "
                "потребовать от подрядчика отчета о расходах. Эксперты не исключают, что сроки могут "
                "сдвинуться еще раз, если весенний паводок окажется сильнее обычного.",
            ]
        ),
    },
    {
        "external_id": "demo-008",
        "title": "Observers arrive in Tessaly ahead of disputed run-off vote",
        "source": "Harbour Ledger",
        "url": "https://example.org/harbour-ledger/2026/03/21/tessaly-runoff-observers",
        "author": "Nadia Ferrante",
        "published_at": "2026-03-21T18:40:00Z",
        "language": "en",
        "text": "\n\n".join(
            [
                "TESSALY CITY, March 21 (MPA) - A team of 60 international election observers arrived in "
                "Tessaly on Saturday ahead of next week's presidential run-off, amid opposition claims that "
                "the first round was marred by widespread irregularities.",
                'The head of the observer mission, Ingrid Solberg, said her team would have "full and '
                'unhindered access" to polling stations in all twelve provinces under an agreement signed '
                "with the electoral commission. She declined to comment on the opposition's allegations, "
                'saying it was "too early to draw conclusions."',
                "Opposition candidate Adrian Vasko has said that thousands of ballots in the southern "
                "provinces were cast in the names of people who had died or moved abroad. The electoral "
                'commission called the claims "a desperate attempt to discredit a clean vote" and said its '
                "own audit had found only isolated clerical errors.",
                'On social media, supporters of both candidates traded accusations. "🗳\ufe0f Go vote on '
                "Sunday, bring your neighbours, and don't let anyone tell you it doesn't matter,\" read one "
                "widely shared post. A government account posted a photo of the observers at the airport with "
                'the caption "🇺🇳 Welcome! Tessaly has nothing to hide."',
                "A Western diplomat in the capital, speaking on condition of anonymity, said several "
                "embassies had privately urged both camps to accept the result, whatever it turned out to be. "
                "Political scientists said turnout would likely decide the outcome, with polls showing the "
                "two candidates within three points of each other.",
                "Results are expected by Tuesday.",
            ]
        ),
    },
]

DEMO_SPANS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "demo-001": {
        "anna": [
            ("Ambassador Helene Marck, said", "Source attribution"),
            ("offered every reasonable concession", "Diplomatic claim"),
            ("using the pause to rearm", "Diplomatic claim"),
            ("These claims are false and Ms. Marck knows it", "Denial"),
            ("Revik told reporters", "Source attribution"),
            ("According to the Meridian Press Agency", "Source attribution"),
            (
                "damaged a water pumping station and left about 4,000 residents without running water, "
                "local officials said",
                "Casualty or damage claim",
            ),
            ("local officials said", "Source attribution"),
        ],
        "ben": [
            ("Ambassador Helene Marck", "Source attribution"),
            ("offered every reasonable concession", "Diplomatic claim"),
            ("using the pause to rearm", "Loaded language"),
            ("These claims are false and Ms. Marck knows it", "Denial"),
            ("Revik told reporters in the capital, Dresk", "Source attribution"),
            ("According to the Meridian Press Agency", "Source attribution"),
            ("A diplomat familiar with the negotiations, who spoke on condition of anonymity", "Anonymous source"),
            ("could push the region back into open fighting", "Speculation"),
        ],
    },
    "demo-002": {
        "anna": [
            ("forcing more than 12,000 people from their homes", "Casualty or damage claim"),
            ("the regional emergency office said", "Source attribution"),
            ("At least nine people have died and dozens are missing", "Casualty or damage claim"),
            ("according to the Meridian Press Agency", "Source attribution"),
            ("Interior ministry spokeswoman Ana Velik said in a statement", "Source attribution"),
            ("Every family that has lost its home will receive temporary housing", "Official statement"),
            ("An aid worker in Keld, who asked not to be named", "Anonymous source"),
        ],
        "ben": [
            ("forcing more than 12,000 people from their homes", "Casualty or damage claim"),
            ("the regional emergency office", "Source attribution"),
            ("At least nine people have died", "Casualty or damage claim"),
            ("Ana Velik said in a statement", "Source attribution"),
            ("the government had released 40 million crowns from its reserve fund", "Official statement"),
            ("An aid worker in Keld", "Anonymous source"),
            ("one of the older dams upstream could be at risk", "Speculation"),
            ("urged people in unaffected districts to donate blankets", "Call to action"),
        ],
    },
    "demo-003": {
        "anna": [
            ("denied a newspaper report", "Denial"),
            ("pure invention", "Loaded language"),
            ("two unnamed officials", "Anonymous source"),
            ("There is no such plan, there has never been such a plan", "Denial"),
            ("ministry spokesman Pavel Orsic told reporters", "Source attribution"),
            ("playing games with people's livelihoods", "Loaded language"),
            ("called on the minister to appear before parliament", "Call to action"),
        ],
        "ben": [
            (
                "denied a newspaper report that the government was preparing to suspend wheat and barley exports",
                "Denial",
            ),
            ("pure invention", "Denial"),
            ("two unnamed officials who said", "Anonymous source"),
            (
                "There is no such plan, there has never been such a plan, and anyone repeating this "
                "rumour is doing real damage to our farmers",
                "Denial",
            ),
            ("doing real damage to our farmers", "Loaded language"),
            ("ministry spokesman Pavel Orsic told reporters", "Source attribution"),
            ('the ministry said domestic stocks were "more than sufficient"', "Official statement"),
            ("one trader said, speaking on condition of anonymity", "Anonymous source"),
        ],
    },
    "demo-004": {
        "anna": [
            ("injuring five people, two of them seriously", "Casualty or damage claim"),
            ("the city's fire service said", "Source attribution"),
            ("Our neighbours on Canal Row need a place to stay tonight", "Call to action"),
            ("If you have a spare room, message me", "Call to action"),
            ("Deputy mayor Lorenz Aubel told reporters", "Source attribution"),
            (
                "engineers would inspect every bridge of similar design in the city by the end of the month",
                "Official statement",
            ),
            ("let the city's infrastructure rot for a decade", "Loaded language"),
        ],
        "ben": [
            ("injuring five people", "Casualty or damage claim"),
            (
                "Our neighbours on Canal Row need a place to stay tonight. If you have a spare room, message me",
                "Call to action",
            ),
            ("We told the council about this in January and nobody came", "Loaded language"),
            ("Lorenz Aubel told reporters at the scene", "Source attribution"),
            ("The city council said in a statement", "Source attribution"),
            ("it had no record of a formal complaint about the bridge", "Denial"),
            ("let the city's infrastructure rot for a decade", "Loaded language"),
        ],
    },
    "demo-005": {
        "anna": [
            ("could be forced to stop printing by the summer", "Speculation"),
            ("Lindqvist told reporters", "Source attribution"),
            (
                "We are asking people to decide whether they want someone in this province to keep asking "
                "awkward questions",
                "Editorial appeal",
            ),
            ("Emil Rask said in a statement", "Source attribution"),
            ("it was not the government's role to rescue private businesses", "Official statement"),
            ("If you value our reporting on the province, please donate today", "Editorial appeal"),
            ("please donate today", "Call to action"),
        ],
        "ben": [
            ("could be forced to stop printing by the summer", "Speculation"),
            ("Editor-in-chief Marta Lindqvist said", "Source attribution"),
            ("keep asking awkward questions", "Editorial appeal"),
            ("Governor's office spokesman Emil Rask", "Source attribution"),
            ("Independent journalism costs money, and we rely on you", "Editorial appeal"),
            ("please donate today", "Editorial appeal"),
            ("Visit our website to become a supporter", "Call to action"),
        ],
    },
    "demo-006": {
        "anna": [
            (
                "Karsk's envoy to the Northern Energy Council, Дмитрий Соколов (Dmitry Sokolov), said",
                "Source attribution",
            ),
            ("within reach", "Diplomatic claim"),
            ("this project serves the interests of ordinary people on both sides of the border", "Diplomatic claim"),
            ("Spokeswoman Liisa Tamm told reporters", "Source attribution"),
            ("no agreement exists until every clause is signed", "Official statement"),
            ("which cited two people briefed on the talks", "Anonymous source"),
            ("speculation with no basis in fact", "Denial"),
        ],
        "ben": [
            ("Дмитрий Соколов (Dmitry Sokolov), said", "Source attribution"),
            ("within reach", "Diplomatic claim"),
            ('only "technical questions of pricing" remained', "Diplomatic claim"),
            ("Liisa Tamm told reporters", "Source attribution"),
            ("no agreement exists until every clause is signed", "Diplomatic claim"),
            ("two people briefed on the talks", "Anonymous source"),
            ("Наталья Петрова of the Solvengrad Institute for Economic Studies said", "Source attribution"),
            ("the envoy's optimism was probably aimed at audiences at home", "Speculation"),
        ],
    },
    "demo-007": {
        "anna": [
            ("сообщил в пятницу пресс-секретарь городской администрации Игорь Лебедев", "Source attribution"),
            ("мы не допустим, чтобы горожане остались без переправы", "Official statement"),
            ("Как сообщает агентство «Меридиан»", "Source attribution"),
            ("Источник в строительной компании, пожелавший остаться неназванным", "Anonymous source"),
            ("Никаких ошибок в проекте не было", "Denial"),
            ("Это издевательство над людьми", "Loaded language"),
        ],
        "ben": [
            ("пресс-секретарь городской администрации Игорь Лебедев", "Source attribution"),
            ("мы не допустим, чтобы горожане остались без переправы", "Official statement"),
            ("агентство «Меридиан»", "Source attribution"),
            ("Источник в строительной компании", "Anonymous source"),
            ("В администрации эту информацию опровергли", "Denial"),
            ("Это издевательство над людьми", "Loaded language"),
            ("призвал горожан прийти на публичные слушания", "Call to action"),
            ("сроки могут сдвинуться еще раз", "Speculation"),
        ],
    },
    "demo-008": {
        "anna": [
            ("Ingrid Solberg, said", "Source attribution"),
            ("full and unhindered access", "Official statement"),
            ("a desperate attempt to discredit a clean vote", "Loaded language"),
            ("Go vote on Sunday, bring your neighbours", "Call to action"),
            ("Tessaly has nothing to hide", "Denial"),
            ("A Western diplomat in the capital, speaking on condition of anonymity", "Anonymous source"),
            ("turnout would likely decide the outcome", "Speculation"),
        ],
    },
}

# The reviewer's work on the first article, so the review screens show every state. A reviewed span is
# named by (external_id, annotator, phrase) as in DEMO_SPANS; a decision is "accepted" or "rejected".
DEMO_REVIEWER = "rita"

DEMO_REVIEWS: list[tuple[str, str, str, str, str]] = [  # external_id, annotator, phrase, decision, comment
    ("demo-001", "anna", "These claims are false and Ms. Marck knows it", "accepted", ""),
    ("demo-001", "ben", "These claims are false and Ms. Marck knows it", "accepted", ""),
    ("demo-001", "anna", "Ambassador Helene Marck, said", "accepted", ""),
    (
        "demo-001",
        "ben",
        "Ambassador Helene Marck",
        "rejected",
        "Include the attribution verb, as the guidelines ask: 'Ambassador Helene Marck, said'.",
    ),
    (
        "demo-001",
        "ben",
        "using the pause to rearm",
        "rejected",
        "An envoy accusing the other state is a Diplomatic claim, not Loaded language.",
    ),
]

# Gold spans of the first article: (external_id, phrase, label, annotator whose span is copied or None
# for a span the reviewer draws directly).
DEMO_GOLD: list[tuple[str, str, str, str | None]] = [
    ("demo-001", "Ambassador Helene Marck, said", "Source attribution", "anna"),
    ("demo-001", "These claims are false and Ms. Marck knows it", "Denial", "anna"),
    ("demo-001", "using the pause to rearm", "Diplomatic claim", "anna"),
    ("demo-001", "A diplomat familiar with the negotiations", "Anonymous source", None),
]

# The demo project's relation type: the framing preset carries none, and its attributions need one.
DEMO_RELATION_TYPES: list[dict] = [
    {
        "name": "Says",
        "key": "q",
        "color": "#3d85c6",
        "description": "From who is credited (a Source attribution or an Anonymous source) to what they are "
        "credited with saying.",
        "from_labels": ["Source attribution", "Anonymous source"],
        "to_labels": ["Diplomatic claim", "Official statement", "Denial", "Casualty or damage claim", "Speculation"],
    },
]

# external_id -> annotator -> (from phrase, to phrase, relation type): each phrase names that annotator's span of
# DEMO_SPANS. The annotators link their differing spans, and each links a quote the other leaves unlinked.
DEMO_RELATIONS: dict[str, dict[str, list[tuple[str, str, str]]]] = {
    "demo-001": {
        "anna": [
            ("Ambassador Helene Marck, said", "offered every reasonable concession", "Says"),
            ("Ambassador Helene Marck, said", "using the pause to rearm", "Says"),
            ("Revik told reporters", "These claims are false and Ms. Marck knows it", "Says"),
        ],
        "ben": [
            ("Ambassador Helene Marck", "offered every reasonable concession", "Says"),
            ("Revik told reporters in the capital, Dresk", "These claims are false and Ms. Marck knows it", "Says"),
            (
                "A diplomat familiar with the negotiations, who spoke on condition of anonymity",
                "could push the region back into open fighting",
                "Says",
            ),
        ],
    },
    "demo-002": {
        "anna": [
            (
                "Interior ministry spokeswoman Ana Velik said in a statement",
                "Every family that has lost its home will receive temporary housing",
                "Says",
            ),
            ("the regional emergency office said", "forcing more than 12,000 people from their homes", "Says"),
        ],
        "ben": [
            (
                "Ana Velik said in a statement",
                "the government had released 40 million crowns from its reserve fund",
                "Says",
            ),
            ("the regional emergency office", "forcing more than 12,000 people from their homes", "Says"),
        ],
    },
}

# The reviewer's decisions on relations: (external_id, annotator, from phrase, to phrase, decision, comment).
DEMO_RELATION_REVIEWS: list[tuple[str, str, str, str, str, str]] = [
    ("demo-001", "anna", "Ambassador Helene Marck, said", "offered every reasonable concession", "accepted", ""),
    (
        "demo-001",
        "ben",
        "Ambassador Helene Marck",
        "offered every reasonable concession",
        "rejected",
        "Link from the span with its attribution verb: 'Ambassador Helene Marck, said'.",
    ),
]

# Gold relations copied from an annotator's relation (its spans are copied too, or reused when gold has them):
# (external_id, annotator, from phrase, to phrase).
DEMO_GOLD_RELATIONS: list[tuple[str, str, str, str]] = [
    ("demo-001", "anna", "Ambassador Helene Marck, said", "using the pause to rearm"),
]

# The demo project's document questions: the framing preset carries none, and the overview's per-outlet charts need
# some. One of each kind; the primary frame is required before an article is submitted.
DEMO_QUESTIONS: list[dict] = [
    {
        "name": "Primary frame",
        "kind": "single",
        "options": MEDIA_FRAMES,
        "required": True,
        "key": "f",
        "description": "The one Media Frames Corpus frame that dominates the article as a whole.",
    },
    {
        "name": "Tone",
        "kind": "single",
        "options": ["pro", "neutral", "anti"],
        "key": "w",
        "description": "Whether the article leans towards the authorities it reports on, against them, or neither.",
    },
    {
        "name": "Frames",
        "kind": "multi",
        "options": SEMEVAL_FRAMES,
        "key": "m",
        "description": "Every frame the article uses, as SemEval-2023 Task 3 asks.",
    },
    {
        "name": "Slant",
        "kind": "scale",
        "min": -2,
        "max": 2,
        "key": "k",
        "description": "From -2, the article takes the officials' side throughout, to 2, it takes their critics'.",
    },
]

# external_id -> annotator -> {question name: value}. Both annotators answer every article they submit, agreeing
# on most primary frames and disagreeing on some tones, frames and slants; anna has started demo-008 and answered
# its tone alone, so submitting it would name the primary frame still missing.
DEMO_ANSWERS: dict[str, dict[str, dict]] = {
    "demo-001": {
        "anna": {
            "Primary frame": "External regulation and reputation",
            "Tone": "neutral",
            "Frames": ["Security and defense", "External regulation and reputation"],
            "Slant": 0,
        },
        "ben": {
            "Primary frame": "External regulation and reputation",
            "Tone": "neutral",
            "Frames": ["Security and defense"],
            "Slant": 0,
        },
    },
    "demo-002": {
        "anna": {
            "Primary frame": "Capacity and resources",
            "Tone": "pro",
            "Frames": ["Capacity and resources", "Quality of life"],
            "Slant": -1,
        },
        "ben": {
            "Primary frame": "Quality of life",
            "Tone": "pro",
            "Frames": ["Capacity and resources", "Quality of life"],
            "Slant": -1,
        },
    },
    "demo-003": {
        "anna": {
            "Primary frame": "Economic",
            "Tone": "neutral",
            "Frames": ["Economic", "Policy prescription and evaluation"],
            "Slant": 0,
        },
        "ben": {"Primary frame": "Economic", "Tone": "anti", "Frames": ["Economic"], "Slant": 1},
    },
    "demo-004": {
        "anna": {
            "Primary frame": "Public opinion",
            "Tone": "anti",
            "Frames": ["Public opinion", "Political"],
            "Slant": 2,
        },
        "ben": {"Primary frame": "Public opinion", "Tone": "anti", "Frames": ["Public opinion"], "Slant": 1},
    },
    "demo-005": {
        "anna": {"Primary frame": "Economic", "Tone": "neutral", "Frames": ["Economic", "Fairness and equality"]},
        "ben": {
            "Primary frame": "Fairness and equality",
            "Tone": "anti",
            "Frames": ["Economic", "Fairness and equality"],
        },
    },
    "demo-006": {
        "anna": {
            "Primary frame": "Economic",
            "Tone": "pro",
            "Frames": ["Economic", "External regulation and reputation"],
            "Slant": -1,
        },
        "ben": {"Primary frame": "Economic", "Tone": "neutral", "Frames": ["Economic"], "Slant": -1},
    },
    "demo-007": {
        "anna": {"Primary frame": "Capacity and resources", "Tone": "neutral", "Frames": ["Capacity and resources"]},
        "ben": {
            "Primary frame": "Capacity and resources",
            "Tone": "neutral",
            "Frames": ["Capacity and resources", "Quality of life"],
        },
    },
    "demo-008": {
        "anna": {"Tone": "neutral"},
    },
}

# The reviewer's decisions on answers: (external_id, annotator, question name, decision, comment).
DEMO_ANSWER_REVIEWS: list[tuple[str, str, str, str, str]] = [
    ("demo-002", "anna", "Primary frame", "accepted", ""),
    (
        "demo-002",
        "ben",
        "Primary frame",
        "rejected",
        "The article is about shelters and funds: Capacity and resources.",
    ),
]

# Gold answers copied from an annotator's answer: (external_id, annotator, question name).
DEMO_GOLD_ANSWERS: list[tuple[str, str, str]] = [
    ("demo-002", "anna", "Primary frame"),
    ("demo-002", "ben", "Tone"),
]

# Suggestions as a recommender run leaves them (source `kind:name`, a score), on phrases of the articles above:
# (phrase, label name, score, source); each demo user sees them open until they accept or reject them.
DEMO_SUGGESTIONS: dict[str, list[tuple[str, str, float, str]]] = {
    "demo-001": [
        ("in bad faith", "Loaded language", 0.35, "lexicon:demo-loaded"),
        ("she added", "Source attribution", 0.74, "attribution:demo"),
        ("Revik", "Source attribution", 0.62, "memory:demo"),
        ("A diplomat familiar with the negotiations", "Anonymous source", 0.91, "attribution:demo"),
        ("Nobody wants to blink first", "Diplomatic claim", 0.47, "attribution:demo"),
        ("the diplomat said", "Source attribution", 0.88, "attribution:demo"),
        ("Analysts warned", "Source attribution", 0.69, "attribution:demo"),
        ("could push the region back into open fighting", "Speculation", 0.58, "lexicon:demo-hedges"),
    ],
    "demo-002": [
        ("some engineers said privately", "Anonymous source", 0.83, "attribution:demo"),
        ("could be at risk", "Speculation", 0.52, "lexicon:demo-hedges"),
        ("Volunteers have urged people", "Call to action", 0.41, "memory:demo"),
    ],
}
