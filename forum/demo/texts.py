"""Texts of the two demo forums, from the press release, in Russian, Tajik and English."""

GOALS = {
    "ru": ("Подведение итогов полугодовой деятельности по проекту «Социальная мобилизация членов семей "
           "трудовых мигрантов» в рамках Региональной программы по миграции в Центральной Азии.\n"
           "Разработка плана действий для усиления потенциала существующих групп взаимопомощи (ГВП)."),
    "tg": ("Ҷамъбасти фаъолияти нимсолаи лоиҳаи «Сафарбаркунии иҷтимоии аъзои оилаҳои муҳоҷирони меҳнатӣ» "
           "дар доираи Барномаи минтақавии муҳоҷират дар Осиёи Марказӣ.\n"
           "Таҳияи нақшаи амал барои баланд бардоштани иқтидори гурӯҳҳои худёрии мавҷуда."),
    "en": ("To sum up six months of the project \"Social mobilization of labour migrants' family members\" "
           "under the Regional Programme on Migration in Central Asia.\n"
           "To draw up an action plan that strengthens the existing self-help groups."),
}

DESCRIPTION = {
    "ru": ("На форуме пройдут выставка изделий ГВП и стенды, выступления мобильных театров, выставка детских "
           "рисунков на тему трудовой миграции и ярмарка рабочих мест.\n"
           "Круглый стол лидеров ГВП, координаторов и мобилизаторов, представителей госструктур, международных "
           "организаций и МФО определит пути решения проблем ГВП и выработает рекомендации: повышение их "
           "потенциала и устойчивости через объединение в сети и кооперативы."),
    "tg": ("Дар форум намоишгоҳи маҳсулоти гурӯҳҳои худёрӣ ва стендҳо, намоишҳои театрҳои сайёр, намоишгоҳи "
           "расмҳои кӯдакон дар мавзӯи муҳоҷирати меҳнатӣ ва ярмаркаи ҷойҳои корӣ баргузор мегарданд.\n"
           "Мизи мудаввари роҳбарони гурӯҳҳо, ҳамоҳангсозон ва сафарбаркунандагон, намояндагони сохторҳои давлатӣ, "
           "ташкилотҳои байналмилалӣ ва ташкилотҳои маблағгузории хурд роҳҳои ҳалли мушкилоти гурӯҳҳоро муайян "
           "карда, тавсияҳо таҳия мекунад: баланд бардоштани иқтидор ва устувории онҳо тавассути муттаҳидшавӣ "
           "ба шабакаҳо ва кооперативҳо."),
    "en": ("The day has an exhibition of the groups' products and stands, mobile theatre performances, an "
           "exhibition of children's drawings on labour migration and a job fair.\n"
           "A round table of group leaders, coordinators and mobilizers, government bodies, international "
           "organisations and microfinance institutions will find ways to solve the groups' problems and agree "
           "recommendations: stronger, lasting groups through networks and cooperatives."),
}

CONTACTS = {
    "ru": "PR-специалист — Рахимов Ислом: 92 770 18 06, aws95@mail.ru\nКоординатор программ — Расулова Хайриниссо: 95 185 45 27",
    "tg": "Мутахассиси PR — Раҳимов Ислом: 92 770 18 06, aws95@mail.ru\nҲамоҳангсози барномаҳо — Расулова Хайринисо: 95 185 45 27",
    "en": "PR specialist — Islom Rakhimov: +992 92 770 18 06, aws95@mail.ru\nProgramme coordinator — Khayrinisso Rasulova: +992 95 185 45 27",
}

ISFARA = {
    "title": {"ru": "Форум групп взаимопомощи в Исфаре", "tg": "Форуми гурӯҳҳои худёрӣ дар Исфара",
              "en": "Forum of Self-Help Groups in Isfara"},
    "city": {"ru": "г. Исфара", "tg": "ш. Исфара", "en": "Isfara"},
    "venue": {"ru": "Дом культуры", "tg": "Хонаи фарҳанг", "en": "House of Culture"},
    "address": {"ru": "у здания Дома культуры, г. Исфара, Согдийская область",
                "tg": "назди бинои Хонаи фарҳанг, ш. Исфара, вилояти Суғд",
                "en": "outside the House of Culture, Isfara, Sughd region"},
    "goals": GOALS, "description": DESCRIPTION, "contacts": CONTACTS,
}

GAFUROV = {
    "title": {"ru": "Форум групп взаимопомощи в Б. Гафуровском районе",
              "tg": "Форуми гурӯҳҳои худёрӣ дар ноҳияи Б. Ғафуров",
              "en": "Forum of Self-Help Groups in B. Gafurov district"},
    "city": {"ru": "Б. Гафуровский район", "tg": "ноҳияи Б. Ғафуров", "en": "B. Gafurov district"},
    "venue": {"ru": "Музей им. Б. Гафурова", "tg": "Осорхонаи ба номи Б. Ғафуров",
              "en": "Museum named after B. Gafurov"},
    "address": {"ru": "у здания музея им. Б. Гафурова, Согдийская область",
                "tg": "назди бинои осорхонаи ба номи Б. Ғафуров, вилояти Суғд",
                "en": "outside the museum named after B. Gafurov, Sughd region"},
    "goals": GOALS, "description": DESCRIPTION, "contacts": CONTACTS,
}

# (key, kind, capacity, name) of each forum's areas; keys match across forums for copying plans.
AREAS = [
    ("main-stage", "stage", 400, {"ru": "Главная сцена", "tg": "Саҳнаи асосӣ", "en": "Main stage"}),
    ("exhibition", "exhibition", None, {"ru": "Выставочная площадь", "tg": "Майдони намоишгоҳ", "en": "Exhibition square"}),
    ("theatre", "stage", 150, {"ru": "Сцена мобильного театра", "tg": "Саҳнаи театри сайёр", "en": "Mobile theatre stage"}),
    ("drawings", "hall", 80, {"ru": "Зал детских рисунков", "tg": "Толори расмҳои кӯдакон", "en": "Children's drawings hall"}),
    ("round-table", "hall", 40, {"ru": "Зал круглого стола", "tg": "Толори мизи мудаввар", "en": "Round-table hall"}),
    ("job-fair", "tent", 200, {"ru": "Шатёр ярмарки вакансий", "tg": "Хаймаи ярмаркаи ҷойҳои корӣ", "en": "Job-fair tent"}),
    ("entrance", "entrance", None, {"ru": "Главный вход", "tg": "Даромадгоҳи асосӣ", "en": "Main entrance"}),
]
