"""The demo catalog: categories, the cities partners work in, and about three dozen partners with their
locations and offers, in Kazakh, Russian and English. Pure data; the demo seed turns it into rows.

Offer windows are relative to the day the seed runs: ``days = [from, until]`` means valid from
today + from to today + until, so the demo always has live, expired and scheduled offers."""

from __future__ import annotations

from typing import Any

CATEGORIES: list[dict[str, Any]] = [
    {"slug": "food", "name": {"kk": "Тамақ", "ru": "Еда", "en": "Food"}, "position": 10},
    {"slug": "coffee", "name": {"kk": "Кофе", "ru": "Кофе", "en": "Coffee"}, "position": 20},
    {"slug": "fitness", "name": {"kk": "Фитнес", "ru": "Фитнес", "en": "Fitness"}, "position": 30},
    {"slug": "health", "name": {"kk": "Денсаулық", "ru": "Здоровье", "en": "Health"}, "position": 40},
    {"slug": "beauty", "name": {"kk": "Сұлулық", "ru": "Красота", "en": "Beauty"}, "position": 50},
    {"slug": "education", "name": {"kk": "Білім", "ru": "Образование", "en": "Education"}, "position": 60},
    {"slug": "travel", "name": {"kk": "Саяхат", "ru": "Путешествия", "en": "Travel"}, "position": 70},
    {"slug": "auto", "name": {"kk": "Көлік", "ru": "Авто", "en": "Auto"}, "position": 80},
    {"slug": "shopping", "name": {"kk": "Сауда", "ru": "Покупки", "en": "Shopping"}, "position": 90},
    {"slug": "kids", "name": {"kk": "Балалар", "ru": "Дети", "en": "Kids"}, "position": 100},
    {
        "slug": "entertainment",
        "name": {"kk": "Ойын-сауық", "ru": "Развлечения", "en": "Entertainment"},
        "position": 110,
    },
]

# City name -> IANA time zone and the coordinates of the centre.
CITIES: dict[str, dict[str, Any]] = {
    "Astana": {"timezone": "Asia/Almaty", "lat": 51.148, "lon": 71.439},
    "Almaty": {"timezone": "Asia/Almaty", "lat": 43.238, "lon": 76.91},
    "Shymkent": {"timezone": "Asia/Almaty", "lat": 42.317, "lon": 69.596},
    "Atyrau": {"timezone": "Asia/Atyrau", "lat": 47.107, "lon": 51.915},
    "Aktau": {"timezone": "Asia/Aqtau", "lat": 43.652, "lon": 51.16},
    "Karaganda": {"timezone": "Asia/Almaty", "lat": 49.806, "lon": 73.088},
    "Aktobe": {"timezone": "Asia/Aqtobe", "lat": 50.284, "lon": 57.167},
}

PARTNERS: list[dict[str, Any]] = [
    {
        "name": {"kk": "Bean & Steppe", "ru": "Bean & Steppe", "en": "Bean & Steppe"},
        "description": {
            "kk": (
                "Өз наубайханасы бар қалалық кофеханалар желісі: жаңа қуырылған кофе, үй тоқаштары және күні "
                "бойы таңғы ас."
            ),
            "ru": (
                "Сеть городских кофеен с собственной пекарней: свежая обжарка, домашняя выпечка и завтраки "
                "весь день."
            ),
            "en": (
                "A chain of city coffee shops with its own bakery: freshly roasted coffee, home-made "
                "pastries and all-day breakfasts."
            ),
        },
        "website": "https://beansteppe.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/bean-and-steppe.png",
        "contacts": {"phone": "+7 727 390 12 45", "email": "info@beansteppe.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Панфилова, 98", "lat": 43.256, "lon": 76.944},
            {"city": "Astana", "address": "пр. Мангилик Ел, 20", "lat": 51.11, "lon": 71.429},
            {"city": "Karaganda", "address": "пр. Бухар Жырау, 59", "lat": 49.804, "lon": 73.095},
            {"city": "Aktobe", "address": "пр. Абилкайыр хана, 44", "lat": 50.286, "lon": 57.156},
        ],
        "offers": [
            {
                "category": "coffee",
                "title": {
                    "kk": "Кез келген кофеге 20% жеңілдік",
                    "ru": "Скидка 20% на любой кофе",
                    "en": "20% off any coffee",
                },
                "description": {
                    "kk": (
                        "Эспрессо, капучино, раф және фильтр-кофе — мәзірдегі барлық кофе сусындарына "
                        "жеңілдік."
                    ),
                    "ru": "Эспрессо, капучино, раф и фильтр-кофе — скидка на все кофейные напитки из меню.",
                    "en": (
                        "Espresso, cappuccino, raf and filter coffee — the discount covers every coffee "
                        "drink on the menu."
                    ),
                },
                "terms": {
                    "kk": "Қосымшадағы кодты кассада көрсетіңіз; күніне бір рет.",
                    "ru": "Покажите код из приложения на кассе; один раз в день.",
                    "en": "Show the code from the app at the till; once a day.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-30, 120],
                "featured": True,
                "limits": {"per_employee_per_day": 1},
            },
            {
                "category": "coffee",
                "title": {
                    "kk": "Кофеге тегін круассан",
                    "ru": "Бесплатный круассан к кофе",
                    "en": "A free croissant with your coffee",
                },
                "description": {
                    "kk": (
                        "Таңғы 10:00-ге дейін кез келген үлкен кофеге сары майлы круассан сыйлыққа беріледі."
                    ),
                    "ru": "До 10:00 к любому большому кофе — сливочный круассан в подарок.",
                    "en": "Before 10 am every large coffee comes with a butter croissant on the house.",
                },
                "terms": {
                    "kk": "Жұмыс күндері 08:00-ден 10:00-ге дейін жарамды.",
                    "ru": "Действует по будням с 08:00 до 10:00.",
                    "en": "Valid on weekdays from 8:00 to 10:00.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Үлкен кофеге круассан сыйлыққа",
                        "ru": "Круассан в подарок к большому кофе",
                        "en": "A free croissant with any large coffee",
                    },
                },
                "days": [-10, 80],
                "featured": False,
                "limits": {"per_employee_per_week": 3},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Таңғы асқа 15% жеңілдік",
                    "ru": "Скидка 15% на завтраки",
                    "en": "15% off breakfasts",
                },
                "description": {
                    "kk": (
                        "Омлет, сырники, ботқа және авокадо қосылған тост — таңғы ас мәзірінің бәріне "
                        "жеңілдік."
                    ),
                    "ru": "Омлеты, сырники, каши и тосты с авокадо — скидка на всё меню завтраков.",
                    "en": (
                        "Omelettes, cottage-cheese pancakes, porridge and avocado toast — the whole "
                        "breakfast menu is discounted."
                    ),
                },
                "terms": {
                    "kk": "Жеңілдік басқа акциялармен қосылмайды.",
                    "ru": "Скидка не суммируется с другими акциями.",
                    "en": "Cannot be combined with other promotions.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-20, 90],
                "featured": False,
            },
            {
                "category": "coffee",
                "title": {
                    "kk": "Дәнді кофеге 1 500 ₸ жеңілдік",
                    "ru": "Скидка 1 500 ₸ на кофе в зёрнах",
                    "en": "1 500 ₸ off coffee beans",
                },
                "description": {
                    "kk": (
                        "Өзіміз қуыратын дәнді кофенің кез келген 250 граммдық қаптамасын үйге немесе "
                        "кеңсеге алыңыз."
                    ),
                    "ru": "Любая упаковка 250 г кофе нашей обжарки — для дома или офиса.",
                    "en": "Any 250 g bag of our own roast, for home or the office.",
                },
                "terms": {
                    "kk": "Бір қызметкерге айына екі қаптамадан артық емес.",
                    "ru": "Не более двух упаковок в месяц на сотрудника.",
                    "en": "No more than two bags per employee per month.",
                },
                "discount": {"kind": "fixed", "value": 1500},
                "days": [-15, 100],
                "featured": False,
                "limits": {"per_employee_per_month": 2},
            },
            {
                "category": "coffee",
                "title": {
                    "kk": "Қысқы сусындарға 25% жеңілдік",
                    "ru": "Скидка 25% на зимние напитки",
                    "en": "25% off winter drinks",
                },
                "description": {
                    "kk": (
                        "Алкогольсіз глинтвейн, какао және дәмдеуішті латте — қысқы мәзірдің жылытатын "
                        "сусындары."
                    ),
                    "ru": (
                        "Безалкогольный глинтвейн, какао и пряный латте — согревающие напитки зимнего меню."
                    ),
                    "en": (
                        "Alcohol-free mulled wine, cocoa and spiced latte — the warming drinks of the winter "
                        "menu."
                    ),
                },
                "terms": {
                    "kk": "Қысқы мәзір аяқталғанға дейін жарамды.",
                    "ru": "Действует до окончания зимнего меню.",
                    "en": "Valid until the winter menu ends.",
                },
                "discount": {"kind": "percent", "value": 25},
                "days": [-75, -5],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Tau Coffee Roasters", "ru": "Tau Coffee Roasters", "en": "Tau Coffee Roasters"},
        "description": {
            "kk": (
                "Алматыда ашылған спешелти-кофехана: моносорттар, альтернативті тәсілмен дайындалатын кофе "
                "және бариста мектебі."
            ),
            "ru": (
                "Спешелти-кофейня родом из Алматы: моносорта, альтернативные методы заваривания и школа "
                "бариста."
            ),
            "en": (
                "A specialty coffee house born in Almaty: single origins, alternative brewing methods and a "
                "barista school."
            ),
        },
        "website": "https://taucoffee.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/tau-coffee-roasters.png",
        "contacts": {"phone": "+7 727 317 40 08", "email": "info@taucoffee.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Кабанбай батыра, 83", "lat": 43.248, "lon": 76.942},
            {"city": "Almaty", "address": "мкр. Самал-2, 58", "lat": 43.233, "lon": 76.951},
            {"city": "Shymkent", "address": "пр. Тауке хана, 43", "lat": 42.319, "lon": 69.595},
        ],
        "offers": [
            {
                "category": "coffee",
                "title": {
                    "kk": "Фильтр-кофеге 15% жеңілдік",
                    "ru": "Скидка 15% на фильтр-кофе",
                    "en": "15% off filter coffee",
                },
                "description": {
                    "kk": (
                        "V60, кемекс және аэропресс арқылы дайындалған кофе — бариста сізге дән таңдауға "
                        "көмектеседі."
                    ),
                    "ru": "V60, кемекс и аэропресс — бариста поможет подобрать зерно под ваш вкус.",
                    "en": "V60, Chemex and AeroPress — the barista will help you choose the beans.",
                },
                "terms": {
                    "kk": "Кофеханада да, өзіңізбен алып кетуге де жарамды.",
                    "ru": "Действует в зале и навынос.",
                    "en": "Valid for dine-in and takeaway.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-25, 95],
                "featured": False,
            },
            {
                "category": "education",
                "title": {
                    "kk": "Бариста шеберлік сыныбы 9 900 ₸",
                    "ru": "Мастер-класс бариста за 9 900 ₸",
                    "en": "Barista masterclass for 9 900 ₸",
                },
                "description": {
                    "kk": "Екі сағаттық сабақта эспрессо дайындауды және сүтпен латте-арт салуды үйренесіз.",
                    "ru": "За два часа научитесь готовить эспрессо и рисовать латте-арт.",
                    "en": "In two hours you will learn to pull an espresso and pour latte art.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу қажет, топта 6 адамға дейін.",
                    "ru": "Нужна предварительная запись, в группе до 6 человек.",
                    "en": "Booking required; up to 6 people per group.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бариста шеберлік сыныбы 9 900 ₸-ге",
                        "ru": "Мастер-класс бариста за 9 900 ₸",
                        "en": "Barista masterclass for 9 900 ₸",
                    },
                },
                "days": [-10, 60],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "coffee",
                "title": {
                    "kk": "Екінші капучино тегін",
                    "ru": "Второй капучино бесплатно",
                    "en": "Second cappuccino free",
                },
                "description": {
                    "kk": (
                        "Әріптесіңізбен бірге келіңіз: екі капучино алсаңыз, екіншісі — біздің есебімізден."
                    ),
                    "ru": "Приходите с коллегой: при заказе двух капучино второй — за наш счёт.",
                    "en": "Bring a colleague: order two cappuccinos and the second one is on us.",
                },
                "terms": {
                    "kk": "Екі сусын бір өлшемде және бір чекте болуы керек.",
                    "ru": "Оба напитка одного размера и в одном чеке.",
                    "en": "Both drinks must be the same size and on one receipt.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Екінші капучино сыйлыққа",
                        "ru": "Второй капучино в подарок",
                        "en": "Second cappuccino free",
                    },
                },
                "days": [-5, 45],
                "featured": False,
                "limits": {"per_employee_per_week": 2},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Десерттерге 10% жеңілдік",
                    "ru": "Скидка 10% на десерты",
                    "en": "10% off desserts",
                },
                "description": {
                    "kk": "Чизкейк, бал торты және маусымдық тарттар — кофеге жақсы серік.",
                    "ru": "Чизкейк, медовик и сезонные тарты — отличная пара к кофе.",
                    "en": "Cheesecake, honey cake and seasonal tarts — the perfect match for coffee.",
                },
                "terms": {
                    "kk": "Жеңілдік басқа акциялармен қосылмайды.",
                    "ru": "Скидка не суммируется с другими акциями.",
                    "en": "Cannot be combined with other promotions.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-30, 90],
                "featured": False,
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Кофе жабдықтарына 2 000 ₸ жеңілдік",
                    "ru": "Скидка 2 000 ₸ на кофейное оборудование",
                    "en": "2 000 ₸ off coffee gear",
                },
                "description": {
                    "kk": (
                        "Воронкалар, қол диірмендері және таразылар — үйде кофе дайындауға қажеттінің бәрі."
                    ),
                    "ru": "Воронки, ручные кофемолки и весы — всё для заваривания кофе дома.",
                    "en": "Drippers, hand grinders and scales — everything for brewing at home.",
                },
                "terms": {
                    "kk": "15 000 ₸-ден асатын сатып алуға жарамды.",
                    "ru": "При покупке от 15 000 ₸.",
                    "en": "On purchases over 15 000 ₸.",
                },
                "discount": {"kind": "fixed", "value": 2000},
                "days": [-20, 110],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Caspian Brew", "ru": "Caspian Brew", "en": "Caspian Brew"},
        "description": {
            "kk": (
                "Каспий жағалауындағы жайлы кофехана: теңіз көрінетін терраса, жаңа піскен тоқаштар және "
                "алып кетуге ыңғайлы сусындар."
            ),
            "ru": (
                "Уютная кофейня на берегу Каспия: терраса с видом на море, свежая выпечка и напитки навынос."
            ),
            "en": (
                "A cosy coffee shop on the Caspian shore: a sea-view terrace, fresh pastries and drinks to "
                "go."
            ),
        },
        "website": "https://caspianbrew.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/caspian-brew.png",
        "contacts": {"phone": "+7 729 252 33 71", "email": "info@caspianbrew.kz"},
        "locations": [
            {"city": "Aktau", "address": "14-й мкр., 64", "lat": 43.656, "lon": 51.162},
            {"city": "Aktau", "address": "9-й мкр., 4", "lat": 43.645, "lon": 51.153},
            {"city": "Atyrau", "address": "пр. Сатпаева, 17", "lat": 47.108, "lon": 51.913},
        ],
        "offers": [
            {
                "category": "coffee",
                "title": {
                    "kk": "Алып кетуге кофеге 20% жеңілдік",
                    "ru": "Скидка 20% на кофе навынос",
                    "en": "20% off coffee to go",
                },
                "description": {
                    "kk": "Жұмысқа бара жатып кофе алыңыз: алып кетуге арналған барлық сусындарға жеңілдік.",
                    "ru": "Возьмите кофе по дороге на работу: скидка на все напитки навынос.",
                    "en": "Grab a coffee on your way to work: all takeaway drinks are discounted.",
                },
                "terms": {
                    "kk": "Тек Caspian Logistics қызметкерлеріне, Атырау мен Ақтаудағы кофеханаларда.",
                    "ru": "Только для сотрудников Caspian Logistics в кофейнях Атырау и Актау.",
                    "en": "For Caspian Logistics staff only, at the Atyrau and Aktau coffee shops.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 100],
                "featured": False,
                "eligibility": {
                    "companies": ["Caspian Logistics"],
                    "departments": [],
                    "cities": ["Atyrau", "Aktau"],
                },
                "limits": {"per_employee_per_day": 2},
            },
            {
                "category": "coffee",
                "title": {
                    "kk": "Сусын көлемін тегін үлкейту",
                    "ru": "Увеличение объёма напитка бесплатно",
                    "en": "Free size upgrade",
                },
                "description": {
                    "kk": "Үлкен сусынды орташаның бағасымен алыңыз — кез келген кофе немесе шай.",
                    "ru": "Большой напиток по цене среднего — любой кофе или чай.",
                    "en": "Get a large drink for the price of a medium — any coffee or tea.",
                },
                "terms": {
                    "kk": "Күніне бір рет, қосымшадағы код бойынша.",
                    "ru": "Один раз в день по коду из приложения.",
                    "en": "Once a day with the code from the app.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Үлкен сусын орташаның бағасымен",
                        "ru": "Большой напиток по цене среднего",
                        "en": "A large drink for the price of a medium",
                    },
                },
                "days": [-15, 75],
                "featured": False,
                "limits": {"per_employee_per_day": 1},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Тоқаштар мен сэндвичтерге 10% жеңілдік",
                    "ru": "Скидка 10% на выпечку и сэндвичи",
                    "en": "10% off pastries and sandwiches",
                },
                "description": {
                    "kk": "Күн сайын таңертең пісірілетін самса, круассан және сэндвичтер.",
                    "ru": "Самса, круассаны и сэндвичи, которые мы печём каждое утро.",
                    "en": "Samsa, croissants and sandwiches baked fresh every morning.",
                },
                "terms": {
                    "kk": "Витринадағы өнімдерге ғана жарамды.",
                    "ru": "Действует только на продукцию с витрины.",
                    "en": "Applies to items from the display counter only.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-30, 60],
                "featured": False,
            },
            {
                "category": "coffee",
                "title": {
                    "kk": "Термокружкаға 1 000 ₸ жеңілдік",
                    "ru": "Скидка 1 000 ₸ на термокружку",
                    "en": "1 000 ₸ off a travel mug",
                },
                "description": {
                    "kk": "Фирмалық термокружканы сатып алыңыз да, келесі сусындарыңызды соған құйдырыңыз.",
                    "ru": "Купите фирменную термокружку — и наливайте в неё следующие напитки.",
                    "en": "Buy our branded travel mug and have your next drinks poured into it.",
                },
                "terms": {
                    "kk": "Бір қызметкерге бір термокружка.",
                    "ru": "Одна термокружка на сотрудника.",
                    "en": "One mug per employee.",
                },
                "discount": {"kind": "fixed", "value": 1000},
                "days": [-10, 120],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "coffee",
                "title": {
                    "kk": "Әрбір бесінші кофе тегін",
                    "ru": "Каждый пятый кофе бесплатно",
                    "en": "Every fifth coffee free",
                },
                "description": {
                    "kk": "Қосымшада әр кофе үшін белгі жинаңыз — бесіншісі біздің есебімізден.",
                    "ru": "Собирайте отметки за каждый кофе в приложении — пятый за наш счёт.",
                    "en": "Collect a stamp in the app with every coffee and the fifth one is on us.",
                },
                "terms": {
                    "kk": "Белгілер 30 күн бойы сақталады.",
                    "ru": "Отметки действуют 30 дней.",
                    "en": "Stamps are valid for 30 days.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бесінші кофе тегін",
                        "ru": "Пятый кофе бесплатно",
                        "en": "Fifth coffee free",
                    },
                },
                "days": [-30, 120],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Dastarkhan Hall", "ru": "Dastarkhan Hall", "en": "Dastarkhan Hall"},
        "description": {
            "kk": (
                "Қазақтың ұлттық тағамдары мейрамханасы: қазы-қарта қосылған ет, қуырдақ, бауырсақ және "
                "кешкі домбыра үні."
            ),
            "ru": (
                "Ресторан национальной казахской кухни: бешбармак с казы и карта, куырдак, баурсаки и живая "
                "домбра по вечерам."
            ),
            "en": (
                "A restaurant of traditional Kazakh cuisine: beshbarmak with kazy and karta, kuyrdak, "
                "baursaks and live dombra music in the evenings."
            ),
        },
        "website": "https://dastarkhanhall.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/dastarkhan-hall.png",
        "contacts": {"phone": "+7 717 255 80 80", "email": "info@dastarkhanhall.kz"},
        "locations": [
            {"city": "Astana", "address": "ул. Кенесары, 40", "lat": 51.169, "lon": 71.42},
            {"city": "Astana", "address": "пр. Кабанбай батыра, 11", "lat": 51.125, "lon": 71.43},
            {"city": "Almaty", "address": "пр. Достык, 105", "lat": 43.228, "lon": 76.957},
        ],
        "offers": [
            {
                "category": "food",
                "title": {
                    "kk": "Мейрамханада бүкіл мәзірге 20% жеңілдік",
                    "ru": "Скидка 20% на всё меню ресторана",
                    "en": "20% off the whole restaurant menu",
                },
                "description": {
                    "kk": (
                        "Біздің мейрамханада түскі және кешкі ас кезінде барлық тағамдар мен сусындарға "
                        "жеңілдік беріледі."
                    ),
                    "ru": "Скидка на все блюда и напитки в обед и вечером.",
                    "en": "The discount applies to all dishes and drinks at lunch and dinner.",
                },
                "terms": {
                    "kk": "Алкогольді сусындар мен банкеттерге қолданылмайды.",
                    "ru": "Не распространяется на алкоголь и банкеты.",
                    "en": "Excludes alcohol and banquets.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 120],
                "featured": True,
                "limits": {"per_employee_per_month": 4},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Бизнес-ланч 2 900 ₸",
                    "ru": "Бизнес-ланч за 2 900 ₸",
                    "en": "Business lunch for 2 900 ₸",
                },
                "description": {
                    "kk": (
                        "Сорпа, ыстық тағам, салат және шай — жұмыс күндеріндегі түскі үзіліске арналған "
                        "жиынтық."
                    ),
                    "ru": "Сорпа, горячее, салат и чай — комплекс для обеденного перерыва по будням.",
                    "en": "Sorpa broth, a hot dish, salad and tea — a set lunch for weekday breaks.",
                },
                "terms": {
                    "kk": "Жұмыс күндері 12:00-ден 15:00-ге дейін.",
                    "ru": "По будням с 12:00 до 15:00.",
                    "en": "Weekdays from 12:00 to 15:00.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бизнес-ланч 2 900 ₸-ге",
                        "ru": "Бизнес-ланч за 2 900 ₸",
                        "en": "Business lunch for 2 900 ₸",
                    },
                },
                "days": [-30, 90],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Банкетке 10 000 ₸ жеңілдік",
                    "ru": "Скидка 10 000 ₸ на банкет",
                    "en": "10 000 ₸ off a banquet",
                },
                "description": {
                    "kk": (
                        "Тойларға, мерейтойлар мен корпоративтерге — мейрамхананың жеке залында 20 адамнан "
                        "бастап."
                    ),
                    "ru": "Для торжеств, юбилеев и корпоративов — в отдельном зале ресторана от 20 гостей.",
                    "en": (
                        "For celebrations, anniversaries and team parties — in the restaurant's private hall "
                        "for 20 guests or more."
                    ),
                },
                "terms": {
                    "kk": "Банкетті кемінде бір апта бұрын брондау қажет.",
                    "ru": "Банкет нужно забронировать минимум за неделю.",
                    "en": "The banquet must be booked at least a week in advance.",
                },
                "discount": {"kind": "fixed", "value": 10000},
                "days": [-10, 150],
                "featured": False,
                "limits": {"total": 40},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Туған күнге торт сыйлыққа",
                    "ru": "Торт в подарок на день рождения",
                    "en": "A free cake for your birthday",
                },
                "description": {
                    "kk": "Туған күніңізді мейрамханамызда атап өтсеңіз, үй тортын сыйлыққа береміз.",
                    "ru": "Отметьте день рождения в нашем ресторане — домашний торт в подарок.",
                    "en": "Celebrate your birthday with us and get a home-made cake as a gift.",
                },
                "terms": {
                    "kk": "Туған күннен үш күн бұрын немесе кейін, жеке куәлікті көрсету қажет.",
                    "ru": "За три дня до или после дня рождения при предъявлении удостоверения личности.",
                    "en": "Within three days of your birthday; ID required.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Үй торты сыйлыққа",
                        "ru": "Домашний торт в подарок",
                        "en": "A home-made birthday cake",
                    },
                },
                "days": [-40, 200],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Жеткізуге 15% жеңілдік",
                    "ru": "Скидка 15% на доставку",
                    "en": "15% off delivery",
                },
                "description": {
                    "kk": "Ұлттық тағамдарды кеңсеге немесе үйге жеткізіп береміз — қала ішінде бір сағатта.",
                    "ru": "Доставим национальные блюда в офис или домой — по городу за час.",
                    "en": "We deliver Kazakh dishes to your office or home — within an hour across the city.",
                },
                "terms": {
                    "kk": "Тапсырыстың ең аз сомасы — 8 000 ₸.",
                    "ru": "Минимальная сумма заказа — 8 000 ₸.",
                    "en": "Minimum order 8 000 ₸.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-20, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Qazan House", "ru": "Qazan House", "en": "Qazan House"},
        "description": {
            "kk": (
                "Оңтүстік асханасының мейрамханасы: қазанда пісірілген палау, қолмен созылған лағман және "
                "көмірде пісірілген кәуап."
            ),
            "ru": "Ресторан южной кухни: плов из казана, лагман ручной тяжки и шашлык на углях.",
            "en": (
                "A restaurant of southern cuisine: plov cooked in a kazan, hand-pulled lagman and charcoal-"
                "grilled shashlik."
            ),
        },
        "website": "https://qazanhouse.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/qazan-house.png",
        "contacts": {"phone": "+7 725 256 77 10", "email": "info@qazanhouse.kz"},
        "locations": [
            {"city": "Shymkent", "address": "ул. Казыбек би, 27", "lat": 42.321, "lon": 69.598},
            {"city": "Shymkent", "address": "мкр. Нурсат, пр. Назарбаева, 10", "lat": 42.356, "lon": 69.64},
            {"city": "Astana", "address": "ул. Кенесары, 70", "lat": 51.165, "lon": 71.413},
        ],
        "offers": [
            {
                "category": "food",
                "title": {
                    "kk": "Палау мен лағманға 15% жеңілдік",
                    "ru": "Скидка 15% на плов и лагман",
                    "en": "15% off plov and lagman",
                },
                "description": {
                    "kk": "Мейрамхананың ең танымал екі тағамы күн сайын жаңадан дайындалады.",
                    "ru": "Два самых популярных блюда ресторана — готовим каждый день заново.",
                    "en": "The restaurant's two best-loved dishes, cooked fresh every day.",
                },
                "terms": {
                    "kk": "Тек залда жарамды.",
                    "ru": "Действует только в зале.",
                    "en": "Dine-in only.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-25, 100],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Кәуапқа шай сыйлыққа",
                    "ru": "Чайник чая к шашлыку",
                    "en": "A free pot of tea with shashlik",
                },
                "description": {
                    "kk": "Кез келген екі шампур кәуапқа бір шәйнек көк немесе қара шай сыйлыққа беріледі.",
                    "ru": "К любым двум шампурам шашлыка — чайник зелёного или чёрного чая в подарок.",
                    "en": "Order any two skewers of shashlik and get a pot of green or black tea free.",
                },
                "terms": {
                    "kk": "Бір үстелге бір шәйнек.",
                    "ru": "Один чайник на стол.",
                    "en": "One pot per table.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Шәйнек шай сыйлыққа",
                        "ru": "Чайник чая в подарок",
                        "en": "A free pot of tea",
                    },
                },
                "days": [-10, 70],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Мейрамханадағы кешкі асқа 10% жеңілдік",
                    "ru": "Скидка 10% на ужин в ресторане",
                    "en": "10% off dinner at the restaurant",
                },
                "description": {
                    "kk": (
                        "Отбасыңызбен немесе достарыңызбен келіңіз: 18:00-ден кейін бүкіл мәзірге жеңілдік."
                    ),
                    "ru": "Приходите с семьёй или друзьями: после 18:00 скидка на всё меню.",
                    "en": "Come with family or friends: after 6 pm the whole menu is discounted.",
                },
                "terms": {
                    "kk": "Үстелді алдын ала брондаған жөн.",
                    "ru": "Столик лучше забронировать заранее.",
                    "en": "Booking a table in advance is recommended.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-15, 90],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Бір қазан палауға 3 000 ₸ жеңілдік",
                    "ru": "Скидка 3 000 ₸ на казан плова",
                    "en": "3 000 ₸ off a whole kazan of plov",
                },
                "description": {
                    "kk": "10 адамға арналған бір қазан палау — кеңседегі мерекеге немесе үйдегі тойға.",
                    "ru": "Казан плова на 10 человек — для праздника в офисе или дома.",
                    "en": "A kazan of plov for 10 people — for a party at the office or at home.",
                },
                "terms": {
                    "kk": "Тапсырысты бір күн бұрын беру керек.",
                    "ru": "Заказ нужно сделать за сутки.",
                    "en": "Order one day in advance.",
                },
                "discount": {"kind": "fixed", "value": 3000},
                "days": [-20, 120],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Жексенбіде балалар мәзірі тегін",
                    "ru": "Детское меню бесплатно по воскресеньям",
                    "en": "Free kids' menu on Sundays",
                },
                "description": {
                    "kk": "Жексенбі күндері ересектердің әр тапсырысына бір балалар тағамы тегін беріледі.",
                    "ru": "По воскресеньям — одно детское блюдо бесплатно к каждому взрослому заказу.",
                    "en": "On Sundays every adult order comes with one free kids' dish.",
                },
                "terms": {
                    "kk": "12 жасқа дейінгі балаларға.",
                    "ru": "Для детей до 12 лет.",
                    "en": "For children under 12.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Жексенбіде балалар тағамы тегін",
                        "ru": "Детское блюдо бесплатно по воскресеньям",
                        "en": "A free kids' dish on Sundays",
                    },
                },
                "days": [-30, 60],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Pizza Porto", "ru": "Pizza Porto", "en": "Pizza Porto"},
        "description": {
            "kk": (
                "Неаполитандық пицца: тас пеште пісірілген жұқа қамыр, итальяндық ірімшік пен қызанақ. "
                "Жеткізу және алып кету."
            ),
            "ru": (
                "Неаполитанская пицца: тонкое тесто из каменной печи, итальянские сыры и томаты. Доставка и "
                "самовывоз."
            ),
            "en": (
                "Neapolitan pizza: thin dough from a stone oven, Italian cheese and tomatoes. Delivery and "
                "pick-up."
            ),
        },
        "website": "https://pizzaporto.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/pizza-porto.png",
        "contacts": {"phone": "+7 700 300 55 44", "email": "info@pizzaporto.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Толе би, 101", "lat": 43.253, "lon": 76.915},
            {"city": "Astana", "address": "ул. Сыганак, 18", "lat": 51.123, "lon": 71.425},
            {"city": "Karaganda", "address": "ул. Ерубаева, 41", "lat": 49.805, "lon": 73.088},
            {"city": "Aktobe", "address": "пр. Абая, 26", "lat": 50.283, "lon": 57.19},
        ],
        "offers": [
            {
                "category": "food",
                "title": {
                    "kk": "Барлық пиццаға 25% жеңілдік",
                    "ru": "Скидка 25% на всю пиццу",
                    "en": "25% off all pizzas",
                },
                "description": {
                    "kk": "Маргаритадан бастап трюфельді пиццаға дейін — мәзірдегі кез келген пицца.",
                    "ru": "От маргариты до пиццы с трюфелем — любая пицца из меню.",
                    "en": "From margherita to truffle pizza — any pizza on the menu.",
                },
                "terms": {
                    "kk": "Сайтта тапсырыс бергенде промокодты енгізіңіз.",
                    "ru": "Введите промокод при заказе на сайте.",
                    "en": "Enter the promo code when ordering on the website.",
                },
                "discount": {"kind": "percent", "value": 25},
                "days": [-20, 90],
                "featured": False,
                "limits": {"per_employee_per_week": 2},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Үшінші пицца сыйлыққа",
                    "ru": "Третья пицца в подарок",
                    "en": "Third pizza free",
                },
                "description": {
                    "kk": "Кеңсеге үш пицца тапсырыс беріңіз — ең арзаны тегін болады.",
                    "ru": "Закажите в офис три пиццы — самая недорогая бесплатно.",
                    "en": "Order three pizzas for the office and the cheapest one is free.",
                },
                "terms": {
                    "kk": "Бір тапсырысқа бір рет.",
                    "ru": "Один раз на заказ.",
                    "en": "Once per order.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Үшінші пицца тегін",
                        "ru": "Третья пицца бесплатно",
                        "en": "Third pizza free",
                    },
                },
                "days": [-10, 60],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Алғашқы тапсырысқа 1 500 ₸ жеңілдік",
                    "ru": "1 500 ₸ на первый заказ",
                    "en": "1 500 ₸ off your first order",
                },
                "description": {
                    "kk": "Қосымша арқылы алғаш рет тапсырыс берсеңіз, жеңілдік бірден есептеледі.",
                    "ru": "Скидка применяется сразу при первом заказе через приложение.",
                    "en": "The discount is applied instantly on your first order through the app.",
                },
                "terms": {
                    "kk": "Тапсырыс сомасы 6 000 ₸-ден басталады.",
                    "ru": "Сумма заказа от 6 000 ₸.",
                    "en": "Minimum order 6 000 ₸.",
                },
                "discount": {"kind": "fixed", "value": 1500},
                "days": [-30, 120],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "food",
                "title": {
                    "kk": "Салаттар мен пастаға 10% жеңілдік",
                    "ru": "Скидка 10% на салаты и пасту",
                    "en": "10% off salads and pasta",
                },
                "description": {
                    "kk": "Цезарь, карбонара және болоньезе — пицца жемейтіндерге де таңдау бар.",
                    "ru": "Цезарь, карбонара и болоньезе — для тех, кто не ест пиццу.",
                    "en": "Caesar salad, carbonara and bolognese — for those who don't fancy pizza.",
                },
                "terms": {
                    "kk": "Жеткізуге де, залда да жарамды.",
                    "ru": "Действует на доставку и в зале.",
                    "en": "Valid for delivery and dine-in.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-20, 75],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Түскі пиццаға 30% жеңілдік",
                    "ru": "Скидка 30% на пиццу в обед",
                    "en": "30% off pizza at lunchtime",
                },
                "description": {
                    "kk": "Жаңа жылдық түскі акция: 12:00-ден 15:00-ге дейін барлық пиццаға жеңілдік.",
                    "ru": "Новогодняя обеденная акция: скидка на всю пиццу с 12:00 до 15:00.",
                    "en": "New Year lunchtime deal: every pizza discounted from 12:00 to 15:00.",
                },
                "terms": {
                    "kk": "Тек жұмыс күндері, залда.",
                    "ru": "Только по будням, в зале.",
                    "en": "Weekdays only, dine-in.",
                },
                "discount": {"kind": "percent", "value": 30},
                "days": [-60, -3],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Balyq Bar", "ru": "Balyq Bar", "en": "Balyq Bar"},
        "description": {
            "kk": (
                "Каспий балығы мейрамханасы: көмірде пісірілген көксерке, сазан кәуабы және теңізге қарайтын "
                "терраса."
            ),
            "ru": "Ресторан каспийской рыбы: судак на углях, шашлык из сазана и терраса с видом на море.",
            "en": (
                "A Caspian fish restaurant: charcoal-grilled zander, carp shashlik and a terrace overlooking "
                "the sea."
            ),
        },
        "website": "https://balyqbar.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/balyq-bar.png",
        "contacts": {"phone": "+7 729 250 40 40", "email": "info@balyqbar.kz"},
        "locations": [
            {"city": "Aktau", "address": "15-й мкр., 36", "lat": 43.661, "lon": 51.17},
            {"city": "Aktau", "address": "3-й мкр., 7", "lat": 43.656, "lon": 51.135},
            {"city": "Atyrau", "address": "ул. Смагулова, 53", "lat": 47.116, "lon": 51.9},
        ],
        "offers": [
            {
                "category": "food",
                "title": {
                    "kk": "Балық тағамдарына 15% жеңілдік",
                    "ru": "Скидка 15% на рыбные блюда",
                    "en": "15% off fish dishes",
                },
                "description": {
                    "kk": "Жергілікті балықшылар күн сайын жаңа ауланған балық әкеледі.",
                    "ru": "Свежая рыба каждый день от местных рыбаков.",
                    "en": "Fresh fish delivered daily by local fishermen.",
                },
                "terms": {
                    "kk": "Алкогольді сусындарға қолданылмайды.",
                    "ru": "Не распространяется на алкогольные напитки.",
                    "en": "Excludes alcoholic drinks.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-20, 90],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Екі адамға сет 14 900 ₸",
                    "ru": "Сет на двоих за 14 900 ₸",
                    "en": "Set for two for 14 900 ₸",
                },
                "description": {
                    "kk": (
                        "Екі ыстық балық тағамы, салат, десерт және лимонад — теңіз жағасындағы кешке "
                        "арналған."
                    ),
                    "ru": "Два горячих рыбных блюда, салат, десерт и лимонад — для вечера у моря.",
                    "en": "Two hot fish dishes, a salad, dessert and lemonade — for an evening by the sea.",
                },
                "terms": {
                    "kk": "Сетке 18:00-ден кейін тапсырыс беруге болады.",
                    "ru": "Сет доступен после 18:00.",
                    "en": "Available after 6 pm.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Екі адамға сет 14 900 ₸-ге",
                        "ru": "Сет на двоих за 14 900 ₸",
                        "en": "Set for two for 14 900 ₸",
                    },
                },
                "days": [-15, 80],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Балық кулинариясына 10% жеңілдік",
                    "ru": "Скидка 10% в рыбной кулинарии",
                    "en": "10% off at the fish deli",
                },
                "description": {
                    "kk": "Ысталған балық, балық котлеттері және үйге алып кететін дайын тағамдар.",
                    "ru": "Копчёная рыба, рыбные котлеты и готовые блюда навынос.",
                    "en": "Smoked fish, fish cakes and ready meals to take home.",
                },
                "terms": {
                    "kk": "Мейрамхананың кулинария бөлімінде жарамды.",
                    "ru": "Действует в отделе кулинарии ресторана.",
                    "en": "Valid at the restaurant's deli counter.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-30, 100],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Ұжымдық кешкі асқа 5 000 ₸ жеңілдік",
                    "ru": "Скидка 5 000 ₸ на корпоративный ужин",
                    "en": "5 000 ₸ off a team dinner",
                },
                "description": {
                    "kk": "Мейрамханада 10 адамнан асатын топқа ұжымдық кешкі ас.",
                    "ru": "Командный ужин в ресторане для группы от 10 человек.",
                    "en": "A team dinner at the restaurant for groups of 10 or more.",
                },
                "terms": {
                    "kk": "Үстелді кемінде екі күн бұрын брондау қажет.",
                    "ru": "Бронирование минимум за два дня.",
                    "en": "Book at least two days ahead.",
                },
                "discount": {"kind": "fixed", "value": 5000},
                "days": [-10, 120],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
        ],
    },
    {
        "name": {"kk": "Steppe Fitness", "ru": "Steppe Fitness", "en": "Steppe Fitness"},
        "description": {
            "kk": (
                "Жаттығу залы, бассейн, топтық сабақтар және жеке жаттықтырушылар бар фитнес-клубтар желісі."
            ),
            "ru": (
                "Сеть фитнес-клубов с тренажёрным залом, бассейном, групповыми программами и персональными "
                "тренерами."
            ),
            "en": (
                "A chain of fitness clubs with a gym floor, swimming pool, group classes and personal "
                "trainers."
            ),
        },
        "website": "https://steppefitness.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/steppe-fitness.png",
        "contacts": {"phone": "+7 717 279 11 22", "email": "info@steppefitness.kz"},
        "locations": [
            {"city": "Astana", "address": "ул. Бейбитшилик, 25", "lat": 51.174, "lon": 71.418},
            {"city": "Almaty", "address": "ул. Манаса, 32", "lat": 43.233, "lon": 76.907},
            {"city": "Karaganda", "address": "пр. Строителей, 29", "lat": 49.785, "lon": 73.142},
            {"city": "Atyrau", "address": "пр. Азаттык, 48", "lat": 47.112, "lon": 51.921},
        ],
        "offers": [
            {
                "category": "fitness",
                "title": {
                    "kk": "Фитнес-клубқа жылдық абонементке 30% жеңілдік",
                    "ru": "Скидка 30% на годовой абонемент в фитнес-клуб",
                    "en": "30% off an annual fitness club membership",
                },
                "description": {
                    "kk": "Жаттығу залына, бассейнге және барлық топтық сабақтарға шексіз кіру.",
                    "ru": "Безлимитное посещение тренажёрного зала, бассейна и всех групповых занятий.",
                    "en": "Unlimited access to the gym, pool and all group classes.",
                },
                "terms": {
                    "kk": "Абонемент бір рет толық төленеді, 30 күнге дейін тоқтатып қоюға болады.",
                    "ru": "Абонемент оплачивается единовременно, заморозка до 30 дней.",
                    "en": "Paid in full up front; can be frozen for up to 30 days.",
                },
                "discount": {"kind": "percent", "value": 30},
                "days": [-30, 150],
                "featured": True,
                "limits": {"per_employee": 1},
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Жаттықтырушымен үш жаттығу 12 000 ₸",
                    "ru": "Три тренировки с тренером за 12 000 ₸",
                    "en": "Three personal training sessions for 12 000 ₸",
                },
                "description": {
                    "kk": (
                        "Жеке жаттықтырушы дене дайындығыңызды тексеріп, мақсатыңызға сай бағдарлама құрады."
                    ),
                    "ru": "Персональный тренер проведёт тестирование и составит программу под вашу цель.",
                    "en": (
                        "A personal trainer will assess your fitness and build a programme around your goal."
                    ),
                },
                "terms": {
                    "kk": "Пакетті бір ай ішінде пайдалану керек.",
                    "ru": "Пакет нужно использовать в течение месяца.",
                    "en": "The package must be used within one month.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "3 жеке жаттығу 12 000 ₸-ге",
                        "ru": "3 персональные тренировки за 12 000 ₸",
                        "en": "3 personal sessions for 12 000 ₸",
                    },
                },
                "days": [-20, 90],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Айлық абонементке 20% жеңілдік",
                    "ru": "Скидка 20% на месячный абонемент",
                    "en": "20% off a monthly membership",
                },
                "description": {
                    "kk": "Таңертең немесе кешке жаттығыңыз — клуб 06:00-ден 23:00-ге дейін ашық.",
                    "ru": "Тренируйтесь утром или вечером — клуб открыт с 06:00 до 23:00.",
                    "en": "Train in the morning or the evening — the club is open from 6 am to 11 pm.",
                },
                "terms": {
                    "kk": "Altyn Finance қызметкерлеріне арналған корпоративтік тариф.",
                    "ru": "Корпоративный тариф для сотрудников Altyn Finance.",
                    "en": "Corporate rate for Altyn Finance employees.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-25, 100],
                "featured": False,
                "eligibility": {"companies": ["Altyn Finance"], "departments": [], "cities": []},
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Қонақ ретінде бір күн тегін",
                    "ru": "Гостевой визит бесплатно",
                    "en": "A free guest visit",
                },
                "description": {
                    "kk": (
                        "Клубты бір күн тегін байқап көріңіз: жаттығу залы, бассейн және кез келген топтық "
                        "сабақ."
                    ),
                    "ru": "Попробуйте клуб бесплатно один день: зал, бассейн и любое групповое занятие.",
                    "en": "Try the club free for a day: gym, pool and any group class.",
                },
                "terms": {
                    "kk": "Жеке куәлік қажет, бір адамға бір рет.",
                    "ru": "При себе удостоверение личности; один раз на человека.",
                    "en": "ID required; once per person.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бір күн тегін жаттығу",
                        "ru": "Один день тренировок бесплатно",
                        "en": "One free day of training",
                    },
                },
                "days": [-30, 120],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Жаңа жылдық абонементке 40% жеңілдік",
                    "ru": "Скидка 40% на новогодний абонемент",
                    "en": "40% off the New Year membership",
                },
                "description": {
                    "kk": "Жаңа жылды жаңа әдеттен бастаңыз: үш айлық абонементке мерекелік баға.",
                    "ru": "Начните год с новой привычки: праздничная цена на абонемент на три месяца.",
                    "en": "Start the year with a new habit: a holiday price on a three-month membership.",
                },
                "terms": {
                    "kk": "Мерекелік акция басқа жеңілдіктермен қосылмайды.",
                    "ru": "Праздничная акция не суммируется с другими скидками.",
                    "en": "The holiday offer cannot be combined with other discounts.",
                },
                "discount": {"kind": "percent", "value": 40},
                "days": [-90, -10],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Lotus Yoga Studio", "ru": "Lotus Yoga Studio", "en": "Lotus Yoga Studio"},
        "description": {
            "kk": (
                "Алматының орталығындағы йога студиясы: хатха, виньяса, медитация және жаңадан бастаушыларға "
                "арналған сабақтар."
            ),
            "ru": "Студия йоги в центре Алматы: хатха, виньяса, медитации и занятия для начинающих.",
            "en": "A yoga studio in central Almaty: hatha, vinyasa, meditation and classes for beginners.",
        },
        "website": "https://lotusyoga.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/lotus-yoga-studio.png",
        "contacts": {"phone": "+7 747 210 33 90", "email": "info@lotusyoga.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Сатпаева, 30а", "lat": 43.236, "lon": 76.93},
            {"city": "Almaty", "address": "ул. Шевченко, 118", "lat": 43.247, "lon": 76.911},
        ],
        "offers": [
            {
                "category": "fitness",
                "title": {
                    "kk": "Бір ай йога 9 900 ₸",
                    "ru": "Месяц йоги за 9 900 ₸",
                    "en": "A month of yoga for 9 900 ₸",
                },
                "description": {
                    "kk": "Жаңадан бастаушыларға арналған айлық абонемент: аптасына үш сабақ.",
                    "ru": "Месячный абонемент для новичков: три занятия в неделю.",
                    "en": "A monthly pass for newcomers: three classes a week.",
                },
                "terms": {
                    "kk": "Студияға алғаш келетіндерге ғана.",
                    "ru": "Только для новых клиентов студии.",
                    "en": "For first-time clients only.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бір ай йога 9 900 ₸-ге",
                        "ru": "Месяц йоги за 9 900 ₸",
                        "en": "A month of yoga for 9 900 ₸",
                    },
                },
                "days": [-20, 90],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Жеке сабақтарға 15% жеңілдік",
                    "ru": "Скидка 15% на индивидуальные занятия",
                    "en": "15% off private sessions",
                },
                "description": {
                    "kk": "Нұсқаушы денсаулығыңыз бен мақсатыңызға қарай жаттығу жоспарын құрады.",
                    "ru": "Инструктор составит практику с учётом здоровья и целей.",
                    "en": "The instructor will tailor the practice to your health and goals.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу қажет.",
                    "ru": "Нужна предварительная запись.",
                    "en": "Booking required.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-15, 100],
                "featured": False,
            },
            {
                "category": "health",
                "title": {
                    "kk": "Медитация сабағы тегін",
                    "ru": "Бесплатное занятие медитацией",
                    "en": "A free meditation class",
                },
                "description": {
                    "kk": "Жұмыс аптасынан кейін күйзелісті басуға көмектесетін 45 минуттық медитация.",
                    "ru": "45 минут медитации, чтобы снять стресс после рабочей недели.",
                    "en": "45 minutes of meditation to unwind after the working week.",
                },
                "terms": {
                    "kk": "Жұма сайын 19:00-де, орын саны шектеулі.",
                    "ru": "По пятницам в 19:00, количество мест ограничено.",
                    "en": "Fridays at 7 pm; places are limited.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Медитация сабағы тегін",
                        "ru": "Занятие медитацией бесплатно",
                        "en": "Free meditation class",
                    },
                },
                "days": [-10, 60],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Йога керек-жарақтарына 10% жеңілдік",
                    "ru": "Скидка 10% на товары для йоги",
                    "en": "10% off yoga gear",
                },
                "description": {
                    "kk": "Кілемшелер, блоктар, белдіктер және жаттығуға арналған киім.",
                    "ru": "Коврики, блоки, ремни и одежда для практики.",
                    "en": "Mats, blocks, straps and clothing for your practice.",
                },
                "terms": {
                    "kk": "Студияның дүкенінде жарамды.",
                    "ru": "Действует в магазине студии.",
                    "en": "Valid in the studio shop.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-30, 120],
                "featured": False,
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Кеңседе йога сабағы",
                    "ru": "Корпоративная йога в офисе",
                    "en": "Corporate yoga at your office",
                },
                "description": {
                    "kk": "Нұсқаушы кеңсеңізге келіп, 15 адамға дейінгі топқа сабақ өткізеді.",
                    "ru": "Инструктор приедет в ваш офис и проведёт занятие для группы до 15 человек.",
                    "en": "An instructor comes to your office and runs a class for up to 15 people.",
                },
                "terms": {
                    "kk": "Өтінімді кемінде бес күн бұрын беру керек.",
                    "ru": "Заявка минимум за пять дней.",
                    "en": "Request at least five days in advance.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Кеңседе йога 25 000 ₸-ге",
                        "ru": "Йога в офисе за 25 000 ₸",
                        "en": "Office yoga class for 25 000 ₸",
                    },
                },
                "days": [-20, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Aqua Fit", "ru": "Aqua Fit", "en": "Aqua Fit"},
        "description": {
            "kk": (
                "Ақтаудағы бассейн мен фитнес орталығы: 25 метрлік бассейн, аквааэробика және балаларға жүзу "
                "сабақтары."
            ),
            "ru": (
                "Бассейн и фитнес-центр в Актау: 25-метровый бассейн, аквааэробика и обучение плаванию для "
                "детей."
            ),
            "en": (
                "A pool and fitness centre in Aktau: a 25-metre pool, aqua aerobics and swimming lessons for "
                "children."
            ),
        },
        "website": "https://aquafit-aktau.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/aqua-fit-aktau.png",
        "contacts": {"phone": "+7 729 231 50 60", "email": "info@aquafit-aktau.kz"},
        "locations": [
            {"city": "Aktau", "address": "11-й мкр., 1", "lat": 43.64, "lon": 51.165},
            {"city": "Aktau", "address": "27-й мкр., 5", "lat": 43.682, "lon": 51.163},
        ],
        "offers": [
            {
                "category": "fitness",
                "title": {
                    "kk": "Бассейн абонементіне 20% жеңілдік",
                    "ru": "Скидка 20% на абонемент в бассейн",
                    "en": "20% off a pool membership",
                },
                "description": {
                    "kk": "Айына 12 рет жүзу, сауна және душ.",
                    "ru": "12 посещений бассейна в месяц, сауна и душ.",
                    "en": "12 pool visits a month, plus sauna and showers.",
                },
                "terms": {
                    "kk": "Медициналық анықтама қажет.",
                    "ru": "Нужна медицинская справка.",
                    "en": "A medical certificate is required.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 100],
                "featured": False,
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Аквааэробика: алғашқы сабақ тегін",
                    "ru": "Аквааэробика: первое занятие бесплатно",
                    "en": "Aqua aerobics: first class free",
                },
                "description": {
                    "kk": "Буындарға жеңіл, бірақ тиімді жаттығу — музыкамен суда.",
                    "ru": "Щадящая для суставов, но эффективная тренировка в воде под музыку.",
                    "en": "A joint-friendly but effective workout in the water, set to music.",
                },
                "terms": {
                    "kk": "Телефон арқылы алдын ала жазылыңыз.",
                    "ru": "Предварительная запись по телефону.",
                    "en": "Book in advance by phone.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Алғашқы сабақ тегін",
                        "ru": "Первое занятие бесплатно",
                        "en": "First class free",
                    },
                },
                "days": [-15, 75],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Балаларды жүзуге үйретуге 15% жеңілдік",
                    "ru": "Скидка 15% на обучение детей плаванию",
                    "en": "15% off children's swimming lessons",
                },
                "description": {
                    "kk": "Тәжірибелі жаттықтырушылар 5 жастан асқан балаларды шағын топта жүзуге үйретеді.",
                    "ru": "Опытные тренеры учат детей плавать в небольших группах с 5 лет.",
                    "en": "Experienced coaches teach children from age 5 to swim in small groups.",
                },
                "terms": {
                    "kk": "Бір отбасынан екі балаға дейін.",
                    "ru": "До двух детей из одной семьи.",
                    "en": "Up to two children per family.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 120],
                "featured": False,
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Үш айлық абонементке 5 000 ₸ жеңілдік",
                    "ru": "Скидка 5 000 ₸ на абонемент на три месяца",
                    "en": "5 000 ₸ off a three-month membership",
                },
                "description": {
                    "kk": "Бассейн, жаттығу залы және сауна — үш айға бір абонемент.",
                    "ru": "Бассейн, тренажёрный зал и сауна — один абонемент на три месяца.",
                    "en": "Pool, gym and sauna — one pass for three months.",
                },
                "terms": {
                    "kk": "Бір қызметкерге бір абонемент.",
                    "ru": "Один абонемент на сотрудника.",
                    "en": "One pass per employee.",
                },
                "discount": {"kind": "fixed", "value": 5000},
                "days": [-10, 90],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Отбасылық демалыс: бала тегін жүзеді",
                    "ru": "Семейный выходной: ребёнок плавает бесплатно",
                    "en": "Family weekend: kids swim free",
                },
                "description": {
                    "kk": "Демалыс күндері ересек адаммен келген бір бала бассейнге тегін кіреді.",
                    "ru": "По выходным один ребёнок со взрослым посещает бассейн бесплатно.",
                    "en": "At weekends one child swims free with each paying adult.",
                },
                "terms": {
                    "kk": "10 жасқа дейінгі балаларға.",
                    "ru": "Для детей до 10 лет.",
                    "en": "For children under 10.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бала тегін жүзеді",
                        "ru": "Ребёнок плавает бесплатно",
                        "en": "Kids swim free",
                    },
                },
                "days": [-20, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Iron Batyr Gym", "ru": "Iron Batyr Gym", "en": "Iron Batyr Gym"},
        "description": {
            "kk": (
                "Тәулік бойы жұмыс істейтін жаттығу залдары: еркін салмақтар, кардио аймағы және кроссфит "
                "сабақтары."
            ),
            "ru": "Круглосуточные тренажёрные залы: свободные веса, кардиозона и кроссфит-тренировки.",
            "en": "24-hour gyms with free weights, a cardio zone and CrossFit classes.",
        },
        "website": "https://ironbatyr.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/iron-batyr-gym.png",
        "contacts": {"phone": "+7 713 255 90 01", "email": "info@ironbatyr.kz"},
        "locations": [
            {"city": "Aktobe", "address": "ул. Братьев Жубановых, 302", "lat": 50.27, "lon": 57.21},
            {"city": "Aktobe", "address": "пр. Алии Молдагуловой, 39", "lat": 50.293, "lon": 57.15},
            {"city": "Shymkent", "address": "ул. Байтурсынова, 80", "lat": 42.33, "lon": 69.61},
        ],
        "offers": [
            {
                "category": "fitness",
                "title": {
                    "kk": "Тәуліктік абонементке 25% жеңілдік",
                    "ru": "Скидка 25% на круглосуточный абонемент",
                    "en": "25% off a 24/7 membership",
                },
                "description": {
                    "kk": "Жұмыс кестеңізге қарамай, кез келген уақытта жаттығыңыз.",
                    "ru": "Тренируйтесь в любое время, независимо от рабочего графика.",
                    "en": "Train whenever suits you, whatever your work schedule.",
                },
                "terms": {
                    "kk": "Абонемент 6 немесе 12 айға рәсімделеді.",
                    "ru": "Абонемент оформляется на 6 или 12 месяцев.",
                    "en": "Memberships are for 6 or 12 months.",
                },
                "discount": {"kind": "percent", "value": 25},
                "days": [-20, 110],
                "featured": False,
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Бір апта кроссфит 2 500 ₸",
                    "ru": "Неделя кроссфита за 2 500 ₸",
                    "en": "A week of CrossFit for 2 500 ₸",
                },
                "description": {
                    "kk": "Жаттықтырушымен бір апта бойы кроссфит сабақтарына шексіз қатысу.",
                    "ru": "Неделя безлимитных кроссфит-тренировок с тренером.",
                    "en": "A week of unlimited coached CrossFit classes.",
                },
                "terms": {
                    "kk": "Тек жаңа клиенттерге.",
                    "ru": "Только для новых клиентов.",
                    "en": "New clients only.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бір апта кроссфит 2 500 ₸-ге",
                        "ru": "Неделя кроссфита за 2 500 ₸",
                        "en": "A week of CrossFit for 2 500 ₸",
                    },
                },
                "days": [-10, 60],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Спорттық тағамға 10% жеңілдік",
                    "ru": "Скидка 10% на спортивное питание",
                    "en": "10% off sports nutrition",
                },
                "description": {
                    "kk": "Протеин, изотониктер және дәрумендер — клубтың барында.",
                    "ru": "Протеин, изотоники и витамины — в баре клуба.",
                    "en": "Protein, isotonic drinks and vitamins at the club bar.",
                },
                "terms": {
                    "kk": "Тек клубтың барында жарамды.",
                    "ru": "Действует только в баре клуба.",
                    "en": "Valid at the club bar only.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-30, 90],
                "featured": False,
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Жеке жаттығуларға 4 000 ₸ жеңілдік",
                    "ru": "Скидка 4 000 ₸ на персональные тренировки",
                    "en": "4 000 ₸ off personal training",
                },
                "description": {
                    "kk": "Он жеке жаттығудан тұратын пакетке жеңілдік.",
                    "ru": "Скидка на пакет из 10 персональных тренировок.",
                    "en": "Off a package of 10 personal training sessions.",
                },
                "terms": {
                    "kk": "Пакет екі ай бойы жарамды.",
                    "ru": "Пакет действует два месяца.",
                    "en": "The package is valid for two months.",
                },
                "discount": {"kind": "fixed", "value": 4000},
                "days": [-15, 100],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
        ],
    },
    {
        "name": {"kk": "«Денсаулық» клиникасы", "ru": "Клиника «Денсаулык»", "en": "Densaulyk Clinic"},
        "description": {
            "kk": (
                "Көпсалалы медициналық орталық: терапевттер мен тар бейінді дәрігерлердің қабылдауы, "
                "зертхана және УДЗ."
            ),
            "ru": (
                "Многопрофильный медицинский центр: приём терапевтов и узких специалистов, лаборатория и УЗИ."
            ),
            "en": "A multi-specialty medical centre: GPs and specialists, a laboratory and ultrasound.",
        },
        "website": "https://densaulyk-clinic.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/densaulyk-clinic.png",
        "contacts": {"phone": "+7 717 264 03 03", "email": "info@densaulyk-clinic.kz"},
        "locations": [
            {"city": "Astana", "address": "ул. Акмешит, 1", "lat": 51.126, "lon": 71.42},
            {"city": "Almaty", "address": "ул. Богенбай батыра, 146", "lat": 43.252, "lon": 76.933},
            {"city": "Atyrau", "address": "ул. Кулманова, 107", "lat": 47.101, "lon": 51.905},
        ],
        "offers": [
            {
                "category": "health",
                "title": {
                    "kk": "Дәрігер қабылдауына 20% жеңілдік",
                    "ru": "Скидка 20% на приём врача",
                    "en": "20% off doctor's appointments",
                },
                "description": {
                    "kk": "Терапевт, кардиолог, невролог және басқа да мамандардың қабылдауы.",
                    "ru": "Приём терапевта, кардиолога, невролога и других специалистов.",
                    "en": "Appointments with GPs, cardiologists, neurologists and other specialists.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу қажет.",
                    "ru": "Нужна предварительная запись.",
                    "en": "Booking required.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-30, 120],
                "featured": False,
                "limits": {"per_employee_per_month": 3},
            },
            {
                "category": "health",
                "title": {
                    "kk": "Жылдық тексеру 24 900 ₸",
                    "ru": "Ежегодный чек-ап за 24 900 ₸",
                    "en": "Annual check-up for 24 900 ₸",
                },
                "description": {
                    "kk": "Қан талдаулары, ЭКГ, құрсақ қуысының УДЗ-сы және терапевт кеңесі — бір күнде.",
                    "ru": "Анализы крови, ЭКГ, УЗИ брюшной полости и консультация терапевта — за один день.",
                    "en": (
                        "Blood tests, an ECG, an abdominal ultrasound and a GP consultation, all in one day."
                    ),
                },
                "terms": {
                    "kk": "Dala Energy қызметкерлеріне арналған ұсыныс.",
                    "ru": "Предложение для сотрудников Dala Energy.",
                    "en": "For Dala Energy employees.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Толық тексеру 24 900 ₸-ге",
                        "ru": "Полный чек-ап за 24 900 ₸",
                        "en": "Full check-up for 24 900 ₸",
                    },
                },
                "days": [-20, 150],
                "featured": False,
                "eligibility": {"companies": ["Dala Energy"], "departments": [], "cities": []},
                "limits": {"per_employee": 1},
            },
            {
                "category": "health",
                "title": {
                    "kk": "Зертханалық талдауларға 15% жеңілдік",
                    "ru": "Скидка 15% на лабораторные анализы",
                    "en": "15% off lab tests",
                },
                "description": {
                    "kk": "Нәтижелер келесі күні электрондық поштаға жіберіледі.",
                    "ru": "Результаты — на следующий день на электронную почту.",
                    "en": "Results are emailed the next day.",
                },
                "terms": {
                    "kk": "Талдауларды 07:30-дан 11:00-ге дейін тапсыруға болады.",
                    "ru": "Сдать анализы можно с 07:30 до 11:00.",
                    "en": "Samples are taken from 7:30 to 11:00.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-15, 90],
                "featured": False,
            },
            {
                "category": "health",
                "title": {
                    "kk": "УДЗ-ға 3 000 ₸ жеңілдік",
                    "ru": "Скидка 3 000 ₸ на УЗИ",
                    "en": "3 000 ₸ off an ultrasound scan",
                },
                "description": {
                    "kk": "Сарапшы деңгейіндегі аппаратта кез келген ультрадыбыстық зерттеу.",
                    "ru": "Любое УЗИ-исследование на аппарате экспертного класса.",
                    "en": "Any ultrasound scan on an expert-class machine.",
                },
                "terms": {
                    "kk": "Бір қызметкерге айына бір рет.",
                    "ru": "Один раз в месяц на сотрудника.",
                    "en": "Once a month per employee.",
                },
                "discount": {"kind": "fixed", "value": 3000},
                "days": [-10, 100],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "health",
                "title": {
                    "kk": "Онлайн кеңес тегін",
                    "ru": "Бесплатная онлайн-консультация",
                    "en": "A free online consultation",
                },
                "description": {
                    "kk": (
                        "Терапевтпен 20 минуттық бейнеқоңырау — талдау нәтижелерін түсіндіру немесе кеңес "
                        "алу үшін."
                    ),
                    "ru": (
                        "20-минутный видеозвонок с терапевтом — чтобы разобрать анализы или получить совет."
                    ),
                    "en": "A 20-minute video call with a GP to go through test results or get advice.",
                },
                "terms": {
                    "kk": "Клиниканың сайты арқылы жазылыңыз.",
                    "ru": "Запись через сайт клиники.",
                    "en": "Book through the clinic's website.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Онлайн кеңес тегін",
                        "ru": "Онлайн-консультация бесплатно",
                        "en": "Free online consultation",
                    },
                },
                "days": [-25, 60],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
        ],
    },
    {
        "name": {"kk": "«Сау бол» дәріханасы", "ru": "Аптека «Сау бол»", "en": "Sau Bol Pharmacy"},
        "description": {
            "kk": (
                "Тәулік бойы ашық дәріханалар желісі: дәрі-дәрмек, дәрумендер, балалар тауарлары және "
                "косметика."
            ),
            "ru": "Сеть круглосуточных аптек: лекарства, витамины, детские товары и косметика.",
            "en": "A chain of 24-hour pharmacies: medicines, vitamins, baby products and cosmetics.",
        },
        "website": "https://saubol.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/sau-bol-pharmacy.png",
        "contacts": {"phone": "+7 777 003 03 03", "email": "info@saubol.kz"},
        "locations": [
            {"city": "Astana", "address": "пр. Республики, 34", "lat": 51.17, "lon": 71.43},
            {"city": "Almaty", "address": "ул. Жибек Жолы, 50", "lat": 43.26, "lon": 76.943},
            {"city": "Shymkent", "address": "бул. Кунаева, 5", "lat": 42.315, "lon": 69.589},
            {"city": "Karaganda", "address": "бул. Мира, 22", "lat": 49.803, "lon": 73.09},
        ],
        "offers": [
            {
                "category": "health",
                "title": {
                    "kk": "Дәріханадағы барлық тауарға 10% жеңілдік",
                    "ru": "Скидка 10% на весь ассортимент аптеки",
                    "en": "10% off everything at the pharmacy",
                },
                "description": {
                    "kk": (
                        "Дәрі-дәрмектен бастап гигиена құралдарына дейін — дәріханадағы барлық тауарларға "
                        "жеңілдік."
                    ),
                    "ru": "От лекарств до средств гигиены — скидка на все товары аптеки.",
                    "en": "From medicines to hygiene products — the whole range is discounted.",
                },
                "terms": {
                    "kk": "Рецептпен тегін берілетін дәрілерге қолданылмайды.",
                    "ru": "Не распространяется на бесплатные лекарства по рецепту.",
                    "en": "Excludes free prescription medicines.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-40, 180],
                "featured": True,
                "limits": {"per_employee_per_week": 2},
            },
            {
                "category": "health",
                "title": {
                    "kk": "Дәрумендерге 20% жеңілдік",
                    "ru": "Скидка 20% на витамины",
                    "en": "20% off vitamins",
                },
                "description": {
                    "kk": "D дәрумені, омега-3, магний және иммунитетке арналған кешендер.",
                    "ru": "Витамин D, омега-3, магний и комплексы для иммунитета.",
                    "en": "Vitamin D, omega-3, magnesium and immunity complexes.",
                },
                "terms": {
                    "kk": "Желінің барлық дәріханаларында және сайтта жарамды.",
                    "ru": "Действует во всех аптеках сети и на сайте.",
                    "en": "Valid at every branch and online.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 90],
                "featured": False,
            },
            {
                "category": "health",
                "title": {
                    "kk": "Дәрілерді тегін жеткізу",
                    "ru": "Бесплатная доставка лекарств",
                    "en": "Free medicine delivery",
                },
                "description": {
                    "kk": (
                        "Сайттан тапсырыс беріңіз — дәріхана дәрілерді екі сағат ішінде үйіңізге жеткізеді."
                    ),
                    "ru": "Закажите на сайте — аптека доставит лекарства домой за два часа.",
                    "en": "Order online and the pharmacy will deliver your medicines within two hours.",
                },
                "terms": {
                    "kk": "Тапсырыс сомасы 5 000 ₸-ден басталады.",
                    "ru": "Сумма заказа от 5 000 ₸.",
                    "en": "Minimum order 5 000 ₸.",
                },
                "discount": {
                    "kind": "special",
                    "text": {"kk": "Жеткізу тегін", "ru": "Доставка бесплатно", "en": "Free delivery"},
                },
                "days": [-30, 120],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Балалар тауарларына 15% жеңілдік",
                    "ru": "Скидка 15% на детские товары",
                    "en": "15% off baby products",
                },
                "description": {
                    "kk": "Балалар тағамы, жөргектер және сәбилерді күтуге арналған құралдар.",
                    "ru": "Детское питание, подгузники и средства ухода для малышей.",
                    "en": "Baby food, nappies and baby care products.",
                },
                "terms": {
                    "kk": "Дәріханаларда және сайтта жарамды.",
                    "ru": "Действует в аптеках и на сайте.",
                    "en": "Valid in store and online.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-15, 100],
                "featured": False,
            },
            {
                "category": "health",
                "title": {
                    "kk": "Медициналық техникаға 2 000 ₸ жеңілдік",
                    "ru": "Скидка 2 000 ₸ на медицинскую технику",
                    "en": "2 000 ₸ off medical devices",
                },
                "description": {
                    "kk": "Тонометрлер, ингаляторлар және глюкометрлер.",
                    "ru": "Тонометры, ингаляторы и глюкометры.",
                    "en": "Blood pressure monitors, nebulisers and glucose meters.",
                },
                "terms": {
                    "kk": "10 000 ₸-ден асатын сатып алуға.",
                    "ru": "При покупке от 10 000 ₸.",
                    "en": "On purchases over 10 000 ₸.",
                },
                "discount": {"kind": "fixed", "value": 2000},
                "days": [-10, 90],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
        ],
    },
    {
        "name": {"kk": "«Ақ тіс» стоматологиясы", "ru": "Стоматология «Ак тис»", "en": "Ak Tis Dental"},
        "description": {
            "kk": "Отбасылық стоматология: тіс емдеу, кәсіби тазалау, протездеу және балалар стоматологы.",
            "ru": (
                "Семейная стоматология: лечение, профессиональная гигиена, протезирование и детский "
                "стоматолог."
            ),
            "en": "A family dental clinic: treatment, hygiene, prosthetics and a children's dentist.",
        },
        "website": "https://aktis.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/ak-tis-dental.png",
        "contacts": {"phone": "+7 727 328 22 11", "email": "info@aktis.kz"},
        "locations": [
            {"city": "Almaty", "address": "пр. Назарбаева, 223", "lat": 43.229, "lon": 76.948},
            {"city": "Astana", "address": "ул. Сауран, 5", "lat": 51.12, "lon": 71.415},
            {"city": "Aktobe", "address": "ул. Маресьева, 70", "lat": 50.278, "lon": 57.17},
        ],
        "offers": [
            {
                "category": "health",
                "title": {
                    "kk": "Кәсіби тіс тазалау 14 900 ₸",
                    "ru": "Профессиональная чистка зубов за 14 900 ₸",
                    "en": "Professional teeth cleaning for 14 900 ₸",
                },
                "description": {
                    "kk": "Ультрадыбыспен тазалау, Air Flow және фторлау — бір келгенде.",
                    "ru": "Ультразвуковая чистка, Air Flow и фторирование за один визит.",
                    "en": "Ultrasonic scaling, Air Flow and fluoride treatment in one visit.",
                },
                "terms": {
                    "kk": "Жарты жылда бір реттен жиі емес.",
                    "ru": "Не чаще одного раза в полгода.",
                    "en": "Once every six months.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Кәсіби тазалау 14 900 ₸-ге",
                        "ru": "Чистка зубов за 14 900 ₸",
                        "en": "Teeth cleaning for 14 900 ₸",
                    },
                },
                "days": [-20, 120],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "health",
                "title": {
                    "kk": "Тіс емдеуге 15% жеңілдік",
                    "ru": "Скидка 15% на лечение зубов",
                    "en": "15% off dental treatment",
                },
                "description": {
                    "kk": "Тіс жегісін емдеу, пломба салу және тіс түбірінің өзектерін емдеу.",
                    "ru": "Лечение кариеса, пломбирование и лечение каналов.",
                    "en": "Cavity treatment, fillings and root canal work.",
                },
                "terms": {
                    "kk": "Имплантация мен ортодонтияға қолданылмайды.",
                    "ru": "Не распространяется на имплантацию и ортодонтию.",
                    "en": "Excludes implants and orthodontics.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 100],
                "featured": False,
            },
            {
                "category": "health",
                "title": {
                    "kk": "Кеңес пен рентген тегін",
                    "ru": "Бесплатная консультация и снимок",
                    "en": "Free consultation and X-ray",
                },
                "description": {
                    "kk": "Дәрігер тістеріңізді қарап, емдеу жоспарын құрады.",
                    "ru": "Врач осмотрит зубы и составит план лечения.",
                    "en": "The dentist will examine your teeth and draw up a treatment plan.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу бойынша.",
                    "ru": "По предварительной записи.",
                    "en": "By appointment.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Кеңес пен рентген тегін",
                        "ru": "Консультация и снимок бесплатно",
                        "en": "Free consultation and X-ray",
                    },
                },
                "days": [-10, 90],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Балалар стоматологиясына 20% жеңілдік",
                    "ru": "Скидка 20% на детскую стоматологию",
                    "en": "20% off children's dentistry",
                },
                "description": {
                    "kk": "Балаларға арналған жайлы кабинет, мультфильмдер және ауыртпай емдеу.",
                    "ru": "Уютный детский кабинет, мультфильмы и безболезненное лечение.",
                    "en": "A child-friendly room, cartoons and pain-free treatment.",
                },
                "terms": {
                    "kk": "14 жасқа дейінгі балаларға.",
                    "ru": "Для детей до 14 лет.",
                    "en": "For children under 14.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-25, 110],
                "featured": False,
            },
            {
                "category": "health",
                "title": {
                    "kk": "Имплантқа 50 000 ₸ жеңілдік",
                    "ru": "Скидка 50 000 ₸ на имплант",
                    "en": "50 000 ₸ off a dental implant",
                },
                "description": {
                    "kk": "Корей және швейцар имплант жүйелері, өмірлік кепілдік.",
                    "ru": "Корейские и швейцарские системы имплантов, пожизненная гарантия.",
                    "en": "Korean and Swiss implant systems with a lifetime warranty.",
                },
                "terms": {
                    "kk": "Дәрігер кеңесінен кейін, бір имплантқа.",
                    "ru": "После консультации врача, на один имплант.",
                    "en": "Per implant, after a consultation.",
                },
                "discount": {"kind": "fixed", "value": 50000},
                "days": [-15, 150],
                "featured": False,
                "limits": {"per_employee": 2},
            },
        ],
    },
    {
        "name": {"kk": "Aru Beauty Studio", "ru": "Aru Beauty Studio", "en": "Aru Beauty Studio"},
        "description": {
            "kk": "Сұлулық салоны: шаш қию және бояу, маникюр, педикюр және бет күтімі.",
            "ru": "Салон красоты: стрижки и окрашивание, маникюр, педикюр и уход за лицом.",
            "en": "A beauty salon: haircuts and colouring, manicures, pedicures and facials.",
        },
        "website": "https://arubeauty.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/aru-beauty-studio.png",
        "contacts": {"phone": "+7 707 555 18 18", "email": "info@arubeauty.kz"},
        "locations": [
            {"city": "Almaty", "address": "пр. Аль-Фараби, 77/8", "lat": 43.218, "lon": 76.929},
            {"city": "Astana", "address": "пр. Кабанбай батыра, 21", "lat": 51.121, "lon": 71.423},
            {"city": "Shymkent", "address": "ул. Толе би, 26", "lat": 42.32, "lon": 69.59},
        ],
        "offers": [
            {
                "category": "beauty",
                "title": {
                    "kk": "Шаш қию мен бояуға 20% жеңілдік",
                    "ru": "Скидка 20% на стрижки и окрашивание",
                    "en": "20% off haircuts and colouring",
                },
                "description": {
                    "kk": "Стилист шашыңыздың түріне лайық үлгі ұсынады.",
                    "ru": "Стилист подберёт стрижку под тип ваших волос.",
                    "en": "The stylist will suggest a style that suits your hair.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу қажет.",
                    "ru": "Нужна предварительная запись.",
                    "en": "Booking required.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 90],
                "featured": False,
                "limits": {"per_employee_per_month": 2},
            },
            {
                "category": "beauty",
                "title": {
                    "kk": "Жабыны бар маникюр 7 900 ₸",
                    "ru": "Маникюр с покрытием за 7 900 ₸",
                    "en": "Manicure with gel polish for 7 900 ₸",
                },
                "description": {
                    "kk": "Аппараттық маникюр және ұзақ сақталатын гель-лак.",
                    "ru": "Аппаратный маникюр и стойкое покрытие гель-лаком.",
                    "en": "A machine manicure and long-lasting gel polish.",
                },
                "terms": {
                    "kk": "Жұмыс күндері 10:00-ден 16:00-ге дейін.",
                    "ru": "По будням с 10:00 до 16:00.",
                    "en": "Weekdays from 10:00 to 16:00.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Маникюр 7 900 ₸-ге",
                        "ru": "Маникюр за 7 900 ₸",
                        "en": "Manicure for 7 900 ₸",
                    },
                },
                "days": [-15, 75],
                "featured": False,
            },
            {
                "category": "beauty",
                "title": {
                    "kk": "Бет күтіміне 15% жеңілдік",
                    "ru": "Скидка 15% на уход за лицом",
                    "en": "15% off facials",
                },
                "description": {
                    "kk": "Тазалау, ылғалдандыру және косметологтың кеңесі.",
                    "ru": "Чистка, увлажнение и консультация косметолога.",
                    "en": "Cleansing, hydration and advice from a cosmetologist.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу бойынша.",
                    "ru": "По предварительной записи.",
                    "en": "By appointment.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 100],
                "featured": False,
            },
            {
                "category": "beauty",
                "title": {
                    "kk": "Сыйлық сертификатына 3 000 ₸ жеңілдік",
                    "ru": "Скидка 3 000 ₸ на подарочный сертификат",
                    "en": "3 000 ₸ off a gift certificate",
                },
                "description": {
                    "kk": "Әріптесіңізге немесе жақыныңызға сұлулық салонының сертификатын сыйлаңыз.",
                    "ru": "Подарите коллеге или близким сертификат в салон красоты.",
                    "en": "Give a colleague or loved one a beauty salon gift certificate.",
                },
                "terms": {
                    "kk": "Құны 20 000 ₸-ден басталатын сертификаттарға.",
                    "ru": "На сертификаты номиналом от 20 000 ₸.",
                    "en": "On certificates worth 20 000 ₸ or more.",
                },
                "discount": {"kind": "fixed", "value": 3000},
                "days": [-10, 120],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "beauty",
                "title": {
                    "kk": "Кәсіби күтім құралдарына 10% жеңілдік",
                    "ru": "Скидка 10% на профессиональную косметику",
                    "en": "10% off professional hair and skin care",
                },
                "description": {
                    "kk": "Шеберлер салонда қолданатын сусабындар, маскалар және күтім құралдары.",
                    "ru": "Шампуни, маски и средства ухода, которыми пользуются мастера салона.",
                    "en": "The shampoos, masks and care products our stylists use.",
                },
                "terms": {
                    "kk": "Салонның дүкенінде жарамды.",
                    "ru": "Действует в магазине салона.",
                    "en": "Valid in the salon shop.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-25, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Batyr Barbershop", "ru": "Batyr Barbershop", "en": "Batyr Barbershop"},
        "description": {
            "kk": "Ерлерге арналған барбершоп: шаш қию, сақалды түзету және ыстық сүлгімен қырыну.",
            "ru": "Мужской барбершоп: стрижки, оформление бороды и королевское бритьё с горячим полотенцем.",
            "en": "A men's barbershop: haircuts, beard trims and hot-towel shaves.",
        },
        "website": "https://batyrbarber.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/batyr-barbershop.png",
        "contacts": {"phone": "+7 705 909 09 27", "email": "info@batyrbarber.kz"},
        "locations": [
            {"city": "Astana", "address": "пр. Сарыарка, 15", "lat": 51.172, "lon": 71.41},
            {"city": "Karaganda", "address": "ул. Гоголя, 51", "lat": 49.808, "lon": 73.084},
            {"city": "Aktobe", "address": "ул. Айтеке би, 42", "lat": 50.285, "lon": 57.164},
        ],
        "offers": [
            {
                "category": "beauty",
                "title": {
                    "kk": "Ерлердің шаш қиюына 20% жеңілдік",
                    "ru": "Скидка 20% на мужскую стрижку",
                    "en": "20% off men's haircuts",
                },
                "description": {
                    "kk": "Классикалық және заманауи үлгілер, шаш жуу мен сәндеу бағаға кіреді.",
                    "ru": "Классические и современные стрижки, мытьё и укладка включены.",
                    "en": "Classic and modern cuts, wash and styling included.",
                },
                "terms": {"kk": "Онлайн жазылу арқылы.", "ru": "По онлайн-записи.", "en": "Book online."},
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 100],
                "featured": False,
                "limits": {"per_employee_per_month": 2},
            },
            {
                "category": "beauty",
                "title": {
                    "kk": "Шаш қию мен сақал 8 500 ₸",
                    "ru": "Стрижка и борода за 8 500 ₸",
                    "en": "Haircut and beard trim for 8 500 ₸",
                },
                "description": {
                    "kk": "Шаш қию мен сақалды түзету бір келгенде.",
                    "ru": "Стрижка и оформление бороды за один визит.",
                    "en": "A haircut and beard trim in one visit.",
                },
                "terms": {"kk": "Тек жұмыс күндері.", "ru": "Только по будням.", "en": "Weekdays only."},
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Шаш қию мен сақал 8 500 ₸-ге",
                        "ru": "Стрижка и борода за 8 500 ₸",
                        "en": "Haircut and beard for 8 500 ₸",
                    },
                },
                "days": [-15, 80],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Әкесімен келген балаға шаш қию тегін",
                    "ru": "Стрижка ребёнку бесплатно вместе с папой",
                    "en": "Free kids' haircut with dad's",
                },
                "description": {
                    "kk": "Ұлыңызбен бірге келіңіз — баланың шашын тегін қиямыз.",
                    "ru": "Приходите с сыном — стрижём ребёнка бесплатно.",
                    "en": "Come in with your son and we'll cut his hair for free.",
                },
                "terms": {
                    "kk": "12 жасқа дейінгі балаларға, демалыс күндері.",
                    "ru": "Для детей до 12 лет, по выходным.",
                    "en": "For children under 12, at weekends.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Балаға шаш қию тегін",
                        "ru": "Детская стрижка бесплатно",
                        "en": "Free kids' haircut",
                    },
                },
                "days": [-10, 60],
                "featured": False,
            },
            {
                "category": "beauty",
                "title": {
                    "kk": "Сақал күтіміне арналған құралдарға 15% жеңілдік",
                    "ru": "Скидка 15% на средства для ухода за бородой",
                    "en": "15% off beard care products",
                },
                "description": {
                    "kk": "Майлар, бальзамдар және сәндеуге арналған балауыз.",
                    "ru": "Масла, бальзамы и воск для укладки.",
                    "en": "Oils, balms and styling wax.",
                },
                "terms": {
                    "kk": "Барбершоптың дүкенінде жарамды.",
                    "ru": "Действует в магазине барбершопа.",
                    "en": "Valid in the barbershop's shop.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "«Шипа» спа-орталығы", "ru": "Спа-центр «Шипа»", "en": "Shipa Spa & Wellness"},
        "description": {
            "kk": "Спа-орталық: массаж, хамам, сауна және денені күтуге арналған бағдарламалар.",
            "ru": "Спа-центр: массаж, хаммам, сауна и программы ухода за телом.",
            "en": "A spa centre: massage, hammam, sauna and body treatments.",
        },
        "website": "https://shipaspa.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/shipa-spa.png",
        "contacts": {"phone": "+7 727 339 77 00", "email": "info@shipaspa.kz"},
        "locations": [
            {"city": "Almaty", "address": "пр. Гагарина, 124", "lat": 43.227, "lon": 76.902},
            {"city": "Atyrau", "address": "ул. Студенческая, 52", "lat": 47.097, "lon": 51.935},
        ],
        "offers": [
            {
                "category": "beauty",
                "title": {
                    "kk": "Массажға 25% жеңілдік",
                    "ru": "Скидка 25% на массаж",
                    "en": "25% off massages",
                },
                "description": {
                    "kk": (
                        "Классикалық, релакс және спорттық массаж — жұмыс аптасынан кейін арқаңызға демалыс."
                    ),
                    "ru": "Классический, релакс- и спортивный массаж — отдых для спины после рабочей недели.",
                    "en": "Classic, relaxing and sports massage — a break for your back after a long week.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу қажет; айына екі сеанс.",
                    "ru": "По предварительной записи; два сеанса в месяц.",
                    "en": "Booking required; two sessions a month.",
                },
                "discount": {"kind": "percent", "value": 25},
                "days": [-25, 120],
                "featured": True,
                "limits": {"per_employee_per_month": 2},
            },
            {
                "category": "beauty",
                "title": {
                    "kk": "Екі адамға хамам 19 900 ₸",
                    "ru": "Хаммам на двоих за 19 900 ₸",
                    "en": "Hammam for two for 19 900 ₸",
                },
                "description": {
                    "kk": "Көбік массажы мен шай рәсімі бар екі сағаттық хамам бағдарламасы.",
                    "ru": "Двухчасовая программа хаммама с пенным массажем и чайной церемонией.",
                    "en": "A two-hour hammam programme with foam massage and a tea ceremony.",
                },
                "terms": {
                    "kk": "Демалыс күндері тек алдын ала брондау бойынша.",
                    "ru": "В выходные — только по брони.",
                    "en": "Weekend visits by reservation only.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Екі адамға хамам 19 900 ₸-ге",
                        "ru": "Хаммам на двоих за 19 900 ₸",
                        "en": "Hammam for two for 19 900 ₸",
                    },
                },
                "days": [-15, 90],
                "featured": False,
            },
            {
                "category": "beauty",
                "title": {
                    "kk": "Спа-бағдарламаға 5 000 ₸ жеңілдік",
                    "ru": "Скидка 5 000 ₸ на спа-программу",
                    "en": "5 000 ₸ off a spa programme",
                },
                "description": {
                    "kk": "Пилинг, орау және массаж кіретін үш сағаттық бағдарламалар.",
                    "ru": "Трёхчасовые программы с пилингом, обёртыванием и массажем.",
                    "en": "Three-hour programmes with scrub, body wrap and massage.",
                },
                "terms": {
                    "kk": "Бір сеансқа бір жеңілдік.",
                    "ru": "Одна скидка на один сеанс.",
                    "en": "One discount per session.",
                },
                "discount": {"kind": "fixed", "value": 5000},
                "days": [-20, 100],
                "featured": False,
            },
            {
                "category": "health",
                "title": {
                    "kk": "Сауна мен бассейнге 15% жеңілдік",
                    "ru": "Скидка 15% на сауну и бассейн",
                    "en": "15% off sauna and pool",
                },
                "description": {
                    "kk": "Фин саунасы, бу бөлмесі және суық бассейн — күні бойы.",
                    "ru": "Финская сауна, парная и купель — на весь день.",
                    "en": "Finnish sauna, steam room and plunge pool — all day.",
                },
                "terms": {
                    "kk": "Жұмыс күндері жарамды.",
                    "ru": "Действует по будням.",
                    "en": "Valid on weekdays.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Lingua Bridge", "ru": "Lingua Bridge", "en": "Lingua Bridge"},
        "description": {
            "kk": (
                "Ересектер мен балаларға арналған шет тілдері мектебі: ағылшын, неміс, қытай және түрік "
                "тілдері."
            ),
            "ru": (
                "Школа иностранных языков для взрослых и детей: английский, немецкий, китайский и турецкий."
            ),
            "en": "A foreign language school for adults and children: English, German, Chinese and Turkish.",
        },
        "website": "https://linguabridge.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/lingua-bridge.png",
        "contacts": {"phone": "+7 717 227 45 45", "email": "info@linguabridge.kz"},
        "locations": [
            {"city": "Astana", "address": "пр. Абая, 63", "lat": 51.166, "lon": 71.435},
            {"city": "Almaty", "address": "пр. Абая, 52", "lat": 43.24, "lon": 76.928},
            {"city": "Atyrau", "address": "ул. Абая, 10", "lat": 47.105, "lon": 51.92},
            {"city": "Aktau", "address": "12-й мкр., 12", "lat": 43.646, "lon": 51.175},
        ],
        "offers": [
            {
                "category": "education",
                "title": {
                    "kk": "Ағылшын тілі курстарына 20% жеңілдік",
                    "ru": "Скидка 20% на курсы английского",
                    "en": "20% off English courses",
                },
                "description": {
                    "kk": "Деңгейіңізді анықтап, шағын топқа қосамыз — аптасына үш сабақ.",
                    "ru": "Определим ваш уровень и подберём мини-группу — три занятия в неделю.",
                    "en": "We'll assess your level and place you in a small group, three lessons a week.",
                },
                "terms": {
                    "kk": "Курс ақысы ай сайын төленеді.",
                    "ru": "Оплата курса помесячная.",
                    "en": "The course is paid monthly.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-30, 120],
                "featured": False,
            },
            {
                "category": "education",
                "title": {
                    "kk": "Іскерлік ағылшын тілі 49 900 ₸",
                    "ru": "Деловой английский за 49 900 ₸",
                    "en": "Business English for 49 900 ₸",
                },
                "description": {
                    "kk": (
                        "Келіссөздер, іскерлік хат алмасу және таныстырылым — мұнай-газ және логистика "
                        "саласына бейімделген курс."
                    ),
                    "ru": (
                        "Переговоры, деловая переписка и презентации — курс, адаптированный для нефтегазовой "
                        "отрасли и логистики."
                    ),
                    "en": (
                        "Negotiations, business correspondence and presentations — a course tailored to oil "
                        "and gas and logistics."
                    ),
                },
                "terms": {
                    "kk": "Dala Energy және Caspian Logistics қызметкерлеріне.",
                    "ru": "Для сотрудников Dala Energy и Caspian Logistics.",
                    "en": "For Dala Energy and Caspian Logistics employees.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Іскерлік ағылшын курсы 49 900 ₸-ге",
                        "ru": "Курс делового английского за 49 900 ₸",
                        "en": "Business English course for 49 900 ₸",
                    },
                },
                "days": [-20, 100],
                "featured": False,
                "eligibility": {
                    "companies": ["Dala Energy", "Caspian Logistics"],
                    "departments": [],
                    "cities": [],
                },
            },
            {
                "category": "education",
                "title": {
                    "kk": "Жазғы қарқынды курсқа 25% жеңілдік",
                    "ru": "Скидка 25% на летний интенсив",
                    "en": "25% off the summer intensive",
                },
                "description": {
                    "kk": "Бір айда бір деңгейге көтеріліңіз: күн сайын екі сағаттық сабақ.",
                    "ru": "Поднимите уровень за месяц: ежедневные двухчасовые занятия.",
                    "en": "Move up a level in a month with two-hour classes every day.",
                },
                "terms": {
                    "kk": "Курсқа жазылу басталған күннен бастап жарамды.",
                    "ru": "Действует с начала записи на курс.",
                    "en": "Valid from the day enrolment opens.",
                },
                "discount": {"kind": "percent", "value": 25},
                "days": [7, 60],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Балаларға арналған тіл курстарына 15% жеңілдік",
                    "ru": "Скидка 15% на языковые курсы для детей",
                    "en": "15% off children's language courses",
                },
                "description": {
                    "kk": "7 жастан асқан балаларға ойын түрінде өтетін ағылшын тілі сабақтары.",
                    "ru": "Занятия английским в игровой форме для детей от 7 лет.",
                    "en": "Playful English lessons for children aged 7 and up.",
                },
                "terms": {
                    "kk": "Бір отбасындағы екінші балаға қосымша 5% жеңілдік.",
                    "ru": "Второму ребёнку из семьи — дополнительно 5%.",
                    "en": "An extra 5% off for a second child from the same family.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-25, 110],
                "featured": False,
            },
            {
                "category": "education",
                "title": {
                    "kk": "Деңгейді анықтау тегін",
                    "ru": "Бесплатное тестирование уровня",
                    "en": "Free level test",
                },
                "description": {
                    "kk": "Онлайн тест және оқытушымен 15 минуттық әңгіме.",
                    "ru": "Онлайн-тест и 15-минутная беседа с преподавателем.",
                    "en": "An online test plus a 15-minute conversation with a teacher.",
                },
                "terms": {
                    "kk": "Бір адамға бір рет.",
                    "ru": "Один раз на человека.",
                    "en": "Once per person.",
                },
                "discount": {
                    "kind": "special",
                    "text": {"kk": "Тест тегін", "ru": "Тестирование бесплатно", "en": "Free level test"},
                },
                "days": [-30, 150],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "education",
                "title": {
                    "kk": "IELTS-ке дайындыққа 10 000 ₸ жеңілдік",
                    "ru": "Скидка 10 000 ₸ на подготовку к IELTS",
                    "en": "10 000 ₸ off IELTS preparation",
                },
                "description": {
                    "kk": "Екі айлық дайындық курсы және сынақ емтиханы.",
                    "ru": "Двухмесячный курс подготовки и пробный экзамен.",
                    "en": "A two-month preparation course plus a mock exam.",
                },
                "terms": {
                    "kk": "Курс басталғанға дейін төлеген жағдайда.",
                    "ru": "При оплате до начала курса.",
                    "en": "When paid before the course starts.",
                },
                "discount": {"kind": "fixed", "value": 10000},
                "days": [-10, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Code Steppe Academy", "ru": "Code Steppe Academy", "en": "Code Steppe Academy"},
        "description": {
            "kk": (
                "Бағдарламалау мектебі: Python, деректерді талдау, веб-әзірлеу және жобаларды басқару "
                "курстары."
            ),
            "ru": (
                "Школа программирования: курсы Python, анализа данных, веб-разработки и управления проектами."
            ),
            "en": (
                "A coding school: courses in Python, data analysis, web development and project management."
            ),
        },
        "website": "https://codesteppe.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/code-steppe-academy.png",
        "contacts": {"phone": "+7 727 313 20 20", "email": "info@codesteppe.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Тимирязева, 42", "lat": 43.226, "lon": 76.904},
            {"city": "Astana", "address": "пр. Улы Дала, 7", "lat": 51.118, "lon": 71.395},
        ],
        "offers": [
            {
                "category": "education",
                "title": {
                    "kk": "Python курсына 30% жеңілдік",
                    "ru": "Скидка 30% на курс Python",
                    "en": "30% off the Python course",
                },
                "description": {
                    "kk": "Нөлден бастап төрт айда: негіздер, автоматтандыру және деректермен жұмыс.",
                    "ru": "С нуля за четыре месяца: основы, автоматизация и работа с данными.",
                    "en": "From zero in four months: the basics, automation and working with data.",
                },
                "terms": {
                    "kk": "Онлайн және офлайн форматқа жарамды.",
                    "ru": "Действует для онлайн- и офлайн-формата.",
                    "en": "Valid for online and classroom formats.",
                },
                "discount": {"kind": "percent", "value": 30},
                "days": [-20, 120],
                "featured": True,
            },
            {
                "category": "education",
                "title": {
                    "kk": "DevOps курсына 40% жеңілдік",
                    "ru": "Скидка 40% на курс DevOps",
                    "en": "40% off the DevOps course",
                },
                "description": {
                    "kk": (
                        "Docker, Kubernetes және CI/CD — жұмыс істеп жүрген инженерлердің практикалық курсы."
                    ),
                    "ru": "Docker, Kubernetes и CI/CD — практический курс от действующих инженеров.",
                    "en": "Docker, Kubernetes and CI/CD — a hands-on course taught by working engineers.",
                },
                "terms": {
                    "kk": "Тек IT бөлімдерінің қызметкерлеріне.",
                    "ru": "Только для сотрудников IT-подразделений.",
                    "en": "For IT department staff only.",
                },
                "discount": {"kind": "percent", "value": 40},
                "days": [-15, 90],
                "featured": False,
                "eligibility": {"companies": [], "departments": ["IT"], "cities": []},
            },
            {
                "category": "education",
                "title": {
                    "kk": "Деректерді талдау бойынша кіріспе сабақ тегін",
                    "ru": "Бесплатный вводный урок по анализу данных",
                    "en": "Free intro class in data analysis",
                },
                "description": {
                    "kk": "Excel-ден SQL мен Python-ға қалай көшуге болатынын көрсететін екі сағаттық сабақ.",
                    "ru": "Двухчасовой урок о том, как перейти от Excel к SQL и Python.",
                    "en": "A two-hour class on moving from Excel to SQL and Python.",
                },
                "terms": {
                    "kk": "Орын саны шектеулі, сайтта тіркеліңіз.",
                    "ru": "Количество мест ограничено, регистрация на сайте.",
                    "en": "Places are limited; register on the website.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Кіріспе сабақ тегін",
                        "ru": "Вводный урок бесплатно",
                        "en": "Free intro class",
                    },
                },
                "days": [-10, 45],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "education",
                "title": {
                    "kk": "Жобаларды басқару курсына 20 000 ₸ жеңілдік",
                    "ru": "Скидка 20 000 ₸ на курс управления проектами",
                    "en": "20 000 ₸ off the project management course",
                },
                "description": {
                    "kk": "Agile, Scrum және командамен жұмыс — PMP емтиханына дайындықпен.",
                    "ru": "Agile, Scrum и работа с командой — с подготовкой к экзамену PMP.",
                    "en": "Agile, Scrum and leading a team, with PMP exam preparation.",
                },
                "terms": {
                    "kk": "Бір курсқа бір жеңілдік.",
                    "ru": "Одна скидка на один курс.",
                    "en": "One discount per course.",
                },
                "discount": {"kind": "fixed", "value": 20000},
                "days": [-25, 100],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Жасөспірімдерге веб-әзірлеуге 15% жеңілдік",
                    "ru": "Скидка 15% на веб-разработку для подростков",
                    "en": "15% off web development for teens",
                },
                "description": {
                    "kk": "12–17 жастағы жасөспірімдер өз сайтын жасауды үйренеді.",
                    "ru": "Подростки 12–17 лет научатся создавать собственные сайты.",
                    "en": "Teens aged 12–17 learn to build their own websites.",
                },
                "terms": {
                    "kk": "Қызметкерлердің балаларына арналған.",
                    "ru": "Для детей сотрудников.",
                    "en": "For employees' children.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Кітап әлемі", "ru": "Кітап әлемі", "en": "Kitap Alemi Books"},
        "description": {
            "kk": (
                "Қазақ, орыс және ағылшын тілдеріндегі кітап дүкені: көркем әдебиет, балалар кітаптары, "
                "оқулықтар және кеңсе тауарлары."
            ),
            "ru": (
                "Книжный магазин с литературой на казахском, русском и английском: художественные и детские "
                "книги, учебники и канцтовары."
            ),
            "en": (
                "A bookshop with books in Kazakh, Russian and English: fiction, children's books, textbooks "
                "and stationery."
            ),
        },
        "website": "https://kitapalemi.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/kitap-alemi.png",
        "contacts": {"phone": "+7 717 251 12 12", "email": "info@kitapalemi.kz"},
        "locations": [
            {"city": "Astana", "address": "пр. Тауелсиздик, 34", "lat": 51.142, "lon": 71.472},
            {"city": "Almaty", "address": "ул. Гоголя, 58", "lat": 43.259, "lon": 76.94},
            {"city": "Karaganda", "address": "ул. Алиханова, 13", "lat": 49.8, "lon": 73.1},
            {"city": "Shymkent", "address": "пр. Республики, 12", "lat": 42.327, "lon": 69.584},
        ],
        "offers": [
            {
                "category": "shopping",
                "title": {
                    "kk": "Барлық кітаптарға 15% жеңілдік",
                    "ru": "Скидка 15% на все книги",
                    "en": "15% off all books",
                },
                "description": {
                    "kk": (
                        "Кітап дүкенінде көркем әдебиетке, бизнес кітаптарына және балалар кітаптарына "
                        "жеңілдік беріледі."
                    ),
                    "ru": "Скидка на художественную литературу, бизнес-книги и детские книги.",
                    "en": "Fiction, business titles and children's books are all discounted.",
                },
                "terms": {
                    "kk": "Тек кітаптарға, кеңсе тауарларына қолданылмайды.",
                    "ru": "Только на книги, канцтовары не участвуют.",
                    "en": "Books only; stationery excluded.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 150],
                "featured": True,
                "limits": {"per_employee_per_month": 3},
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Қазақша кітаптар: 3 + 1 сыйлыққа",
                    "ru": "Книги на казахском: 3 + 1 в подарок",
                    "en": "Kazakh books: buy 3, get 1 free",
                },
                "description": {
                    "kk": "Қазақ тіліндегі үш кітап сатып алсаңыз, төртінші кітапты сыйлыққа аласыз.",
                    "ru": "Купите три книги на казахском языке — четвёртая в подарок.",
                    "en": "Buy three books in Kazakh and get the fourth one free.",
                },
                "terms": {
                    "kk": "Сыйлыққа ең арзан кітап беріледі.",
                    "ru": "В подарок — самая недорогая книга.",
                    "en": "The cheapest book is the free one.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Төртінші кітап сыйлыққа",
                        "ru": "Четвёртая книга в подарок",
                        "en": "Fourth book free",
                    },
                },
                "days": [-20, 90],
                "featured": False,
            },
            {
                "category": "education",
                "title": {
                    "kk": "Кәсіби әдебиетке 20% жеңілдік",
                    "ru": "Скидка 20% на профессиональную литературу",
                    "en": "20% off professional literature",
                },
                "description": {
                    "kk": "Құқық, қаржы және бухгалтерлік есеп бойынша кітаптар мен кодекстер.",
                    "ru": "Книги и кодексы по праву, финансам и бухгалтерскому учёту.",
                    "en": "Books and codes on law, finance and accounting.",
                },
                "terms": {
                    "kk": "Заң және қаржы бөлімдерінің қызметкерлеріне.",
                    "ru": "Для сотрудников юридических и финансовых подразделений.",
                    "en": "For staff in legal and finance departments.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-15, 120],
                "featured": False,
                "eligibility": {"companies": [], "departments": ["Legal", "Finance"], "cities": []},
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Балалар кітаптарына 20% жеңілдік",
                    "ru": "Скидка 20% на детские книги",
                    "en": "20% off children's books",
                },
                "description": {
                    "kk": (
                        "Ертегілер, энциклопедиялар және мектеп жасына дейінгі балаларға арналған кітаптар."
                    ),
                    "ru": "Сказки, энциклопедии и книги для дошкольников.",
                    "en": "Fairy tales, encyclopedias and books for pre-schoolers.",
                },
                "terms": {
                    "kk": "Дүкенде және сайтта жарамды.",
                    "ru": "Действует в магазине и на сайте.",
                    "en": "Valid in store and online.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-25, 100],
                "featured": False,
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Кеңсе тауарларына 2 000 ₸ жеңілдік",
                    "ru": "Скидка 2 000 ₸ на канцтовары",
                    "en": "2 000 ₸ off stationery",
                },
                "description": {
                    "kk": "Күнделіктер, қаламдар және мектепке арналған жиынтықтар.",
                    "ru": "Ежедневники, ручки и школьные наборы.",
                    "en": "Planners, pens and back-to-school kits.",
                },
                "terms": {
                    "kk": "10 000 ₸-ден асатын сатып алуға.",
                    "ru": "При покупке от 10 000 ₸.",
                    "en": "On purchases over 10 000 ₸.",
                },
                "discount": {"kind": "fixed", "value": 2000},
                "days": [-10, 60],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Qanat Air", "ru": "Qanat Air", "en": "Qanat Air"},
        "description": {
            "kk": "Қазақстан ішінде, Орталық Азияға және Түркияға ұшатын әуе компаниясы.",
            "ru": "Авиакомпания, выполняющая рейсы по Казахстану, в Центральную Азию и Турцию.",
            "en": "An airline flying across Kazakhstan and to Central Asia and Turkey.",
        },
        "website": "https://qanatair.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/qanat-air.png",
        "contacts": {"phone": "+7 717 270 70 70", "email": "info@qanatair.kz"},
        "locations": [
            {"city": "Astana", "address": "пр. Богенбай батыра, 56", "lat": 51.18, "lon": 71.44},
            {"city": "Almaty", "address": "пр. Достык, 38", "lat": 43.254, "lon": 76.955},
            {"city": "Atyrau", "address": "пр. Абулхаир хана, 64", "lat": 47.099, "lon": 51.892},
            {"city": "Aktau", "address": "5-й мкр., 21", "lat": 43.65, "lon": 51.145},
        ],
        "offers": [
            {
                "category": "travel",
                "title": {
                    "kk": "Әуе билеттеріне 10% жеңілдік",
                    "ru": "Скидка 10% на авиабилеты",
                    "en": "10% off air tickets",
                },
                "description": {
                    "kk": "Қазақстан бойынша барлық ішкі рейстерге — демалысқа немесе туған жерге ұшу үшін.",
                    "ru": "На все внутренние рейсы по Казахстану — в отпуск или домой.",
                    "en": "On all domestic flights in Kazakhstan — for a holiday or a trip home.",
                },
                "terms": {
                    "kk": "Сайттағы промокод бойынша, эконом-класқа.",
                    "ru": "По промокоду на сайте, эконом-класс.",
                    "en": "With a promo code on the website, economy class.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-30, 150],
                "featured": True,
                "limits": {"per_employee_per_month": 2},
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Вахтадағы қызметкерлерге қосымша багаж тегін",
                    "ru": "Дополнительный багаж бесплатно для вахтовиков",
                    "en": "Free extra baggage for rotation workers",
                },
                "description": {
                    "kk": "Атырау мен Ақтаудан ұшатын рейстерде 23 кг қосымша багаж.",
                    "ru": "Дополнительные 23 кг багажа на рейсах из Атырау и Актау.",
                    "en": "An extra 23 kg of checked baggage on flights from Atyrau and Aktau.",
                },
                "terms": {
                    "kk": "Атырау мен Ақтауда жұмыс істейтін қызметкерлерге.",
                    "ru": "Для сотрудников, работающих в Атырау и Актау.",
                    "en": "For employees based in Atyrau and Aktau.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "23 кг қосымша багаж тегін",
                        "ru": "Дополнительные 23 кг багажа бесплатно",
                        "en": "Extra 23 kg baggage free",
                    },
                },
                "days": [-20, 120],
                "featured": False,
                "eligibility": {"companies": [], "departments": [], "cities": ["Atyrau", "Aktau"]},
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Жазғы рейстерге 20% жеңілдік",
                    "ru": "Скидка 20% на летние рейсы",
                    "en": "20% off summer flights",
                },
                "description": {
                    "kk": "Анталья, Ыстамбұл және Ташкентке ұшатын жазғы рейстерді ерте брондаңыз.",
                    "ru": "Раннее бронирование летних рейсов в Анталью, Стамбул и Ташкент.",
                    "en": "Early booking for summer flights to Antalya, Istanbul and Tashkent.",
                },
                "terms": {
                    "kk": "Билетті акция кезінде сатып алу керек; ұшу маусым–тамыз айларында.",
                    "ru": "Билеты нужно купить в период акции; вылеты в июне–августе.",
                    "en": "Tickets must be bought during the promotion; flights in June–August.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [10, 70],
                "featured": False,
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Іссапар билеттеріне 5 000 ₸ жеңілдік",
                    "ru": "Скидка 5 000 ₸ на билеты в командировку",
                    "en": "5 000 ₸ off business-trip tickets",
                },
                "description": {
                    "kk": "Астана, Алматы және Атырау арасындағы бағыттарда икемді тарифпен.",
                    "ru": "По гибкому тарифу на направлениях между Астаной, Алматы и Атырау.",
                    "en": "On flexible fares between Astana, Almaty and Atyrau.",
                },
                "terms": {
                    "kk": "Билетті ұшудан кемінде үш күн бұрын сатып алу керек.",
                    "ru": "Билет нужно купить минимум за три дня до вылета.",
                    "en": "Buy the ticket at least three days before departure.",
                },
                "discount": {"kind": "fixed", "value": 5000},
                "days": [-15, 100],
                "featured": False,
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Орын таңдау тегін",
                    "ru": "Бесплатный выбор места",
                    "en": "Free seat selection",
                },
                "description": {
                    "kk": "Терезе жанындағы немесе аяқ созуға кеңірек орынды тегін таңдаңыз.",
                    "ru": "Выберите место у окна или с увеличенным пространством для ног бесплатно.",
                    "en": "Choose a window seat or extra legroom at no charge.",
                },
                "terms": {
                    "kk": "Онлайн тіркелу кезінде.",
                    "ru": "При онлайн-регистрации.",
                    "en": "During online check-in.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Орын таңдау тегін",
                        "ru": "Выбор места бесплатно",
                        "en": "Free seat selection",
                    },
                },
                "days": [-10, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Silk Way Travel", "ru": "Silk Way Travel", "en": "Silk Way Travel"},
        "description": {
            "kk": (
                "Туристік агенттік: шетелге турлар, Қазақстан бойынша саяхаттар және корпоративтік сапарлар."
            ),
            "ru": (
                "Туристическое агентство: зарубежные туры, путешествия по Казахстану и корпоративные поездки."
            ),
            "en": "A travel agency: holidays abroad, trips around Kazakhstan and corporate travel.",
        },
        "website": "https://silkwaytravel.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/silk-way-travel.png",
        "contacts": {"phone": "+7 727 311 88 99", "email": "info@silkwaytravel.kz"},
        "locations": [
            {"city": "Almaty", "address": "пр. Аль-Фараби, 17", "lat": 43.222, "lon": 76.956},
            {"city": "Astana", "address": "ул. Сыганак, 60", "lat": 51.115, "lon": 71.432},
            {"city": "Shymkent", "address": "ул. Желтоксан, 20", "lat": 42.314, "lon": 69.601},
        ],
        "offers": [
            {
                "category": "travel",
                "title": {
                    "kk": "Шетелге турларға 7% жеңілдік",
                    "ru": "Скидка 7% на зарубежные туры",
                    "en": "7% off holidays abroad",
                },
                "description": {
                    "kk": "Түркия, БАӘ, Египет және Грузия — ұшу, қонақүй және трансфер бір пакетте.",
                    "ru": "Турция, ОАЭ, Египет и Грузия — перелёт, отель и трансфер в одном пакете.",
                    "en": "Turkey, the UAE, Egypt and Georgia — flights, hotel and transfers in one package.",
                },
                "terms": {
                    "kk": "Барлық туроператорлардың пакеттік турларына жарамды.",
                    "ru": "Действует на пакетные туры всех туроператоров.",
                    "en": "Valid on package holidays from all tour operators.",
                },
                "discount": {"kind": "percent", "value": 7},
                "days": [-30, 120],
                "featured": False,
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Бурабайға демалыс күндері тур 39 900 ₸",
                    "ru": "Тур выходного дня в Бурабай за 39 900 ₸",
                    "en": "Weekend trip to Burabay for 39 900 ₸",
                },
                "description": {
                    "kk": "Трансфер, қонақүйде екі түн және экскурсия — Бурабай көлдерінің жағасында.",
                    "ru": "Трансфер, две ночи в отеле и экскурсия — на берегу озёр Бурабая.",
                    "en": (
                        "Transfer, two nights in a hotel and a guided tour on the shores of Burabay's lakes."
                    ),
                },
                "terms": {
                    "kk": "Баға екі орындық нөмірде бір адамға көрсетілген.",
                    "ru": "Цена за человека при двухместном размещении.",
                    "en": "Price per person, based on two sharing.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бурабайға тур 39 900 ₸-ден",
                        "ru": "Тур в Бурабай от 39 900 ₸",
                        "en": "Burabay trip from 39 900 ₸",
                    },
                },
                "days": [-15, 90],
                "featured": False,
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Отбасылық турға 15 000 ₸ жеңілдік",
                    "ru": "Скидка 15 000 ₸ на семейный тур",
                    "en": "15 000 ₸ off a family holiday",
                },
                "description": {
                    "kk": "Екі ересек пен кемінде бір балаға арналған турлар.",
                    "ru": "Туры для двух взрослых и хотя бы одного ребёнка.",
                    "en": "For holidays for two adults and at least one child.",
                },
                "terms": {
                    "kk": "Тур құны 500 000 ₸-ден асқанда.",
                    "ru": "При стоимости тура от 500 000 ₸.",
                    "en": "On holidays costing over 500 000 ₸.",
                },
                "discount": {"kind": "fixed", "value": 15000},
                "days": [-20, 100],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Ерте брондауға 12% жеңілдік",
                    "ru": "Скидка 12% за раннее бронирование",
                    "en": "12% early-booking discount",
                },
                "description": {
                    "kk": "Мамыр мерекелеріне арналған турларды ерте брондаңыз.",
                    "ru": "Раннее бронирование туров на майские праздники.",
                    "en": "Book your May holiday trip early.",
                },
                "terms": {
                    "kk": "Турды кемінде 60 күн бұрын төлеу қажет.",
                    "ru": "Тур нужно оплатить минимум за 60 дней.",
                    "en": "The holiday must be paid for at least 60 days ahead.",
                },
                "discount": {"kind": "percent", "value": 12},
                "days": [-120, -30],
                "featured": False,
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Виза бойынша кеңес тегін",
                    "ru": "Бесплатная консультация по визам",
                    "en": "Free visa consultation",
                },
                "description": {
                    "kk": "Шенген, Ұлыбритания және АҚШ визаларына құжат жинауға көмектесеміз.",
                    "ru": "Поможем собрать документы на шенгенскую, британскую и американскую визу.",
                    "en": "We'll help you prepare the documents for Schengen, UK and US visas.",
                },
                "terms": {
                    "kk": "Кеңсеге алдын ала жазылу арқылы.",
                    "ru": "По предварительной записи в офис.",
                    "en": "By appointment at the office.",
                },
                "discount": {
                    "kind": "special",
                    "text": {"kk": "Кеңес тегін", "ru": "Консультация бесплатно", "en": "Free consultation"},
                },
                "days": [-30, 120],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Nomad Hotels", "ru": "Nomad Hotels", "en": "Nomad Hotels"},
        "description": {
            "kk": (
                "Іссапар мен демалысқа арналған қонақүйлер желісі: жайлы нөмірлер, таңғы ас және конференц-"
                "залдар."
            ),
            "ru": (
                "Сеть отелей для деловых и туристических поездок: комфортные номера, завтраки и конференц-"
                "залы."
            ),
            "en": (
                "A hotel chain for business and leisure travel: comfortable rooms, breakfast and conference "
                "halls."
            ),
        },
        "website": "https://nomadhotels.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/nomad-hotels.png",
        "contacts": {"phone": "+7 717 255 00 77", "email": "info@nomadhotels.kz"},
        "locations": [
            {"city": "Astana", "address": "пр. Туран, 19", "lat": 51.137, "lon": 71.413},
            {"city": "Aktau", "address": "4-й мкр., 20", "lat": 43.647, "lon": 51.14},
            {"city": "Shymkent", "address": "пр. Тауке хана, 5", "lat": 42.323, "lon": 69.591},
        ],
        "offers": [
            {
                "category": "travel",
                "title": {
                    "kk": "Қонақүйде тұруға 15% жеңілдік",
                    "ru": "Скидка 15% на проживание в отеле",
                    "en": "15% off hotel stays",
                },
                "description": {
                    "kk": "Таңғы ас бағаға кіреді — іссапарға да, демалысқа да ыңғайлы.",
                    "ru": "Завтрак включён — и для командировки, и для отдыха.",
                    "en": "Breakfast included, for business trips and holidays alike.",
                },
                "terms": {
                    "kk": "Қонақүйдің сайтында тікелей брондағанда.",
                    "ru": "При бронировании на сайте отеля.",
                    "en": "When booking directly on the hotel website.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 150],
                "featured": False,
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Жазғы демалыс: үшінші түн тегін",
                    "ru": "Летний отдых: третья ночь бесплатно",
                    "en": "Summer stay: third night free",
                },
                "description": {
                    "kk": "Ақтаудағы теңіз жағасындағы қонақүйде үш түн болып, екеуіне ғана төлеңіз.",
                    "ru": "Три ночи в отеле у моря в Актау — платите только за две.",
                    "en": "Stay three nights at our Aktau seaside hotel and pay for two.",
                },
                "terms": {
                    "kk": "Маусымнан тамызға дейін, тек Ақтаудағы қонақүйде.",
                    "ru": "С июня по август, только в отеле в Актау.",
                    "en": "June to August, Aktau hotel only.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Үшінші түн тегін",
                        "ru": "Третья ночь бесплатно",
                        "en": "Third night free",
                    },
                },
                "days": [14, 100],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Қонақүй мейрамханасында 20% жеңілдік",
                    "ru": "Скидка 20% в ресторане отеля",
                    "en": "20% off at the hotel restaurant",
                },
                "description": {
                    "kk": "Мейрамханада еуропа және қазақ тағамдары — қонақтарға да, қала тұрғындарына да.",
                    "ru": "Европейская и казахская кухня — для гостей отеля и жителей города.",
                    "en": "European and Kazakh dishes, for hotel guests and locals alike.",
                },
                "terms": {
                    "kk": "Банкеттерге қолданылмайды.",
                    "ru": "Не распространяется на банкеты.",
                    "en": "Excludes banquets.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 90],
                "featured": False,
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Конференц-залды жалға алуға 20 000 ₸ жеңілдік",
                    "ru": "Скидка 20 000 ₸ на аренду конференц-зала",
                    "en": "20 000 ₸ off conference hall hire",
                },
                "description": {
                    "kk": "Проектор, кофе-брейк және 50 адамға дейін орын.",
                    "ru": "Проектор, кофе-брейк и места до 50 человек.",
                    "en": "A projector, coffee break and seating for up to 50.",
                },
                "terms": {
                    "kk": "Толық күнге жалға алғанда.",
                    "ru": "При аренде на полный день.",
                    "en": "For full-day bookings.",
                },
                "discount": {"kind": "fixed", "value": 20000},
                "days": [-10, 120],
                "featured": False,
            },
            {
                "category": "travel",
                "title": {
                    "kk": "Кеш шығу тегін",
                    "ru": "Поздний выезд бесплатно",
                    "en": "Free late check-out",
                },
                "description": {
                    "kk": "Ұшағыңыз кешке болса, нөмірде 16:00-ге дейін асықпай жиналыңыз.",
                    "ru": "Если рейс вечером — собирайтесь в номере без спешки до 16:00.",
                    "en": "If your flight is in the evening, take your time packing in your room until 4 pm.",
                },
                "terms": {
                    "kk": "Бос нөмір болған жағдайда.",
                    "ru": "При наличии свободных номеров.",
                    "en": "Subject to availability.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "16:00-ге дейін кеш шығу тегін",
                        "ru": "Поздний выезд до 16:00 бесплатно",
                        "en": "Free late check-out until 4 pm",
                    },
                },
                "days": [-25, 120],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "«Жарқын» көлік жуу орны", "ru": "Автомойка «Жаркын»", "en": "Jarqyn Car Wash"},
        "description": {
            "kk": (
                "Тәулік бойы жұмыс істейтін көлік жуу орындары: қолмен жуу, салонды химиялық тазалау және "
                "жылтырату."
            ),
            "ru": "Круглосуточные автомойки: ручная мойка, химчистка салона и полировка.",
            "en": "24-hour car washes: hand wash, interior deep cleaning and polishing.",
        },
        "website": "https://jarqyn.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/jarqyn-car-wash.png",
        "contacts": {"phone": "+7 701 222 44 55", "email": "info@jarqyn.kz"},
        "locations": [
            {"city": "Astana", "address": "пр. Тлендиева, 15", "lat": 51.158, "lon": 71.398},
            {"city": "Almaty", "address": "ул. Толе би, 286", "lat": 43.247, "lon": 76.87},
            {"city": "Karaganda", "address": "ул. Лободы, 20", "lat": 49.809, "lon": 73.093},
        ],
        "offers": [
            {
                "category": "auto",
                "title": {
                    "kk": "Көлік жууға 30% жеңілдік",
                    "ru": "Скидка 30% на мойку автомобиля",
                    "en": "30% off a car wash",
                },
                "description": {
                    "kk": "Кузовты қолмен жуу, дөңгелектер мен кілемшелерді тазалау.",
                    "ru": "Ручная мойка кузова, колёс и ковриков.",
                    "en": "Hand wash of the body, wheels and mats.",
                },
                "terms": {
                    "kk": "Аптасына бір рет, кез келген уақытта.",
                    "ru": "Раз в неделю, в любое время.",
                    "en": "Once a week, any time.",
                },
                "discount": {"kind": "percent", "value": 30},
                "days": [-20, 120],
                "featured": True,
                "limits": {"per_employee_per_week": 1},
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Салонды химиялық тазалауға 20% жеңілдік",
                    "ru": "Скидка 20% на химчистку салона",
                    "en": "20% off interior deep cleaning",
                },
                "description": {
                    "kk": "Орындықтарды, төбені және кілемдерді кәсіби құралдармен тазалау.",
                    "ru": "Чистка сидений, потолка и ковров профессиональной химией.",
                    "en": "Seats, headliner and carpets cleaned with professional products.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу бойынша, 4–6 сағат.",
                    "ru": "По записи, 4–6 часов.",
                    "en": "By appointment; takes 4–6 hours.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-15, 90],
                "featured": False,
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Бір ай шексіз жуу 14 900 ₸",
                    "ru": "Безлимитная мойка на месяц за 14 900 ₸",
                    "en": "Unlimited washes for a month for 14 900 ₸",
                },
                "description": {
                    "kk": "Бір ай бойы көлігіңізді қанша рет болса да жуыңыз.",
                    "ru": "Мойте машину сколько угодно раз в течение месяца.",
                    "en": "Wash your car as often as you like for a month.",
                },
                "terms": {
                    "kk": "Бір көлікке, мемлекеттік нөмірі бойынша.",
                    "ru": "Для одного автомобиля, по госномеру.",
                    "en": "For one car, registered by number plate.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Шексіз жуу 14 900 ₸-ге",
                        "ru": "Безлимитная мойка за 14 900 ₸",
                        "en": "Unlimited washes for 14 900 ₸",
                    },
                },
                "days": [-25, 100],
                "featured": False,
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Кузовты жылтыратуға 5 000 ₸ жеңілдік",
                    "ru": "Скидка 5 000 ₸ на полировку кузова",
                    "en": "5 000 ₸ off body polishing",
                },
                "description": {
                    "kk": "Жылтырату және қорғаныш балауыз — қыстағы жол тұзынан кейін.",
                    "ru": "Полировка и защитный воск — после зимней дорожной соли.",
                    "en": "Polish and protective wax to recover from winter road salt.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу қажет.",
                    "ru": "Нужна предварительная запись.",
                    "en": "Booking required.",
                },
                "discount": {"kind": "fixed", "value": 5000},
                "days": [-10, 60],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Tyre Pro", "ru": "Tyre Pro", "en": "Tyre Pro"},
        "description": {
            "kk": (
                "Шиномонтаж және автосервис орталықтары: маусымдық шина ауыстыру, дөңгелекті теңгеру және "
                "техникалық қызмет көрсету."
            ),
            "ru": "Центры шиномонтажа и автосервиса: сезонная замена шин, балансировка и техобслуживание.",
            "en": "Tyre and car service centres: seasonal tyre changes, wheel balancing and maintenance.",
        },
        "website": "https://tyrepro.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/tyre-pro.png",
        "contacts": {"phone": "+7 727 380 50 50", "email": "info@tyrepro.kz"},
        "locations": [
            {"city": "Almaty", "address": "пр. Райымбека, 221", "lat": 43.268, "lon": 76.89},
            {"city": "Atyrau", "address": "пр. Азаттык, 113", "lat": 47.115, "lon": 51.933},
            {"city": "Aktobe", "address": "ул. Братьев Жубановых, 277", "lat": 50.272, "lon": 57.205},
            {"city": "Shymkent", "address": "ул. Толе би, 84", "lat": 42.325, "lon": 69.61},
        ],
        "offers": [
            {
                "category": "auto",
                "title": {
                    "kk": "Маусымдық шина ауыстыруға 20% жеңілдік",
                    "ru": "Скидка 20% на сезонную замену шин",
                    "en": "20% off seasonal tyre changes",
                },
                "description": {
                    "kk": "Шешу, орнату және теңгеру — бір сағаттан аз уақытта.",
                    "ru": "Снятие, установка и балансировка — меньше чем за час.",
                    "en": "Removal, fitting and balancing in under an hour.",
                },
                "terms": {
                    "kk": "Онлайн жазылу арқылы, 22 дюймге дейінгі дөңгелектерге.",
                    "ru": "По онлайн-записи, для колёс до 22 дюймов.",
                    "en": "Book online; wheels up to 22 inches.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 100],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Шиналарды 3 ай тегін сақтау",
                    "ru": "Хранение шин три месяца бесплатно",
                    "en": "Three months of free tyre storage",
                },
                "description": {
                    "kk": "Шина ауыстырған соң маусымдық жиынтығыңызды қоймамызда сақтаймыз.",
                    "ru": "После замены храним ваш сезонный комплект на нашем складе.",
                    "en": "After a tyre change we keep your seasonal set in our storage.",
                },
                "terms": {
                    "kk": "Бір көлікке бір жиынтық.",
                    "ru": "Один комплект на автомобиль.",
                    "en": "One set per car.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Шиналарды 3 ай тегін сақтау",
                        "ru": "Хранение шин 3 месяца бесплатно",
                        "en": "3 months of free tyre storage",
                    },
                },
                "days": [-15, 120],
                "featured": False,
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Жаңа шиналарға 10% жеңілдік",
                    "ru": "Скидка 10% на новые шины",
                    "en": "10% off new tyres",
                },
                "description": {
                    "kk": "Michelin, Nokian және Hankook қысқы және жазғы шиналары.",
                    "ru": "Зимние и летние шины Michelin, Nokian и Hankook.",
                    "en": "Winter and summer tyres from Michelin, Nokian and Hankook.",
                },
                "terms": {
                    "kk": "Төрт шинадан тұратын жиынтық сатып алғанда.",
                    "ru": "При покупке комплекта из четырёх шин.",
                    "en": "When buying a set of four tyres.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-30, 90],
                "featured": False,
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Май ауыстыруға 3 000 ₸ жеңілдік",
                    "ru": "Скидка 3 000 ₸ на замену масла",
                    "en": "3 000 ₸ off an oil change",
                },
                "description": {
                    "kk": "Қозғалтқыш майы мен сүзгіні ауыстыру, техникалық сұйықтықтарды тексеру.",
                    "ru": "Замена моторного масла и фильтра, проверка технических жидкостей.",
                    "en": "Engine oil and filter change, plus a check of all fluids.",
                },
                "terms": {
                    "kk": "Май сервистің өзінен сатып алынған жағдайда.",
                    "ru": "При покупке масла в сервисе.",
                    "en": "When the oil is bought at the service centre.",
                },
                "discount": {"kind": "fixed", "value": 3000},
                "days": [-10, 80],
                "featured": False,
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Жүріс бөлігін тексеру тегін",
                    "ru": "Бесплатная диагностика ходовой",
                    "en": "Free suspension check",
                },
                "description": {
                    "kk": "Аспа мен тежегіштерді тексеріп, жазбаша қорытынды береміз.",
                    "ru": "Проверим подвеску и тормоза и выдадим письменное заключение.",
                    "en": "We'll inspect the suspension and brakes and give you a written report.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу бойынша.",
                    "ru": "По предварительной записи.",
                    "en": "By appointment.",
                },
                "discount": {
                    "kind": "special",
                    "text": {"kk": "Диагностика тегін", "ru": "Диагностика бесплатно", "en": "Free check-up"},
                },
                "days": [-25, 60],
                "featured": False,
                "limits": {"per_employee": 1},
            },
        ],
    },
    {
        "name": {"kk": "Drive Rent", "ru": "Drive Rent", "en": "Drive Rent"},
        "description": {
            "kk": (
                "Көлік жалға беру: эконом-кластан бастап жол талғамайтын көліктерге дейін, әуежайға жеткізіп "
                "беру."
            ),
            "ru": "Прокат автомобилей: от эконом-класса до внедорожников, с подачей в аэропорт.",
            "en": "Car rental: from economy cars to SUVs, with airport delivery.",
        },
        "website": "https://driverent.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/drive-rent.png",
        "contacts": {"phone": "+7 700 700 12 34", "email": "info@driverent.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Жандосова, 58", "lat": 43.227, "lon": 76.871},
            {"city": "Astana", "address": "ул. Кунаева, 12/1", "lat": 51.128, "lon": 71.427},
            {"city": "Aktau", "address": "14-й мкр., 10", "lat": 43.654, "lon": 51.159},
        ],
        "offers": [
            {
                "category": "auto",
                "title": {
                    "kk": "Көлік жалдауға 15% жеңілдік",
                    "ru": "Скидка 15% на прокат автомобиля",
                    "en": "15% off car rental",
                },
                "description": {
                    "kk": "Кез келген кластағы көлік, бір тәуліктен бастап жалға.",
                    "ru": "Автомобиль любого класса, аренда от суток.",
                    "en": "Cars of any class, rented by the day or longer.",
                },
                "terms": {
                    "kk": "Жүргізу өтілі кемінде екі жыл болуы керек.",
                    "ru": "Стаж вождения от двух лет.",
                    "en": "At least two years' driving experience required.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-30, 120],
                "featured": False,
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Іссапарға көлік жалдауға 25% жеңілдік",
                    "ru": "Скидка 25% на аренду авто в командировку",
                    "en": "25% off car hire for business trips",
                },
                "description": {
                    "kk": "Өңірлерге іссапарға шығатын қызметкерлерге — жүріс шектеусіз.",
                    "ru": (
                        "Для сотрудников, которые ездят в командировки по регионам, — без ограничения "
                        "пробега."
                    ),
                    "en": "For staff travelling to the regions, with unlimited mileage.",
                },
                "terms": {
                    "kk": "Сату және операциялық бөлімдердің қызметкерлеріне.",
                    "ru": "Для сотрудников отделов продаж и операционных подразделений.",
                    "en": "For sales and operations staff.",
                },
                "discount": {"kind": "percent", "value": 25},
                "days": [-20, 100],
                "featured": False,
                "eligibility": {"companies": [], "departments": ["Sales", "Operations"], "cities": []},
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Әуежайға тегін жеткізу",
                    "ru": "Бесплатная подача в аэропорт",
                    "en": "Free delivery to the airport",
                },
                "description": {
                    "kk": "Ұшақтан түскен бойда көлікті әуежайда қабылдап аласыз.",
                    "ru": "Получите машину прямо в аэропорту после прилёта.",
                    "en": "Pick up your car right at the airport when you land.",
                },
                "terms": {
                    "kk": "Үш тәуліктен асатын жалдауға.",
                    "ru": "При аренде от трёх суток.",
                    "en": "For rentals of three days or more.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Әуежайға жеткізу тегін",
                        "ru": "Подача в аэропорт бесплатно",
                        "en": "Free airport delivery",
                    },
                },
                "days": [-15, 90],
                "featured": False,
            },
            {
                "category": "auto",
                "title": {
                    "kk": "Апталық жалдауға 10 000 ₸ жеңілдік",
                    "ru": "Скидка 10 000 ₸ на аренду на неделю",
                    "en": "10 000 ₸ off a weekly rental",
                },
                "description": {
                    "kk": "Жазғы саяхатқа: Ақтаудан Бозжыраға немесе Алматыдан Шарын шатқалына.",
                    "ru": "Для летнего путешествия: из Актау на Бозжыру или из Алматы к Чарынскому каньону.",
                    "en": "For a summer road trip: from Aktau to Bozzhyra or from Almaty to Charyn Canyon.",
                },
                "terms": {
                    "kk": "Жеті тәуліктен бастап жалдағанда.",
                    "ru": "При аренде от семи суток.",
                    "en": "For rentals of seven days or more.",
                },
                "discount": {"kind": "fixed", "value": 10000},
                "days": [-10, 120],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
        ],
    },
    {
        "name": {"kk": "Elektron Plus", "ru": "Elektron Plus", "en": "Elektron Plus"},
        "description": {
            "kk": (
                "Электроника және тұрмыстық техника дүкендерінің желісі: смартфондар, ноутбуктер, "
                "теледидарлар және үйге арналған техника."
            ),
            "ru": (
                "Сеть магазинов электроники и бытовой техники: смартфоны, ноутбуки, телевизоры и техника для "
                "дома."
            ),
            "en": (
                "A chain of electronics and appliance stores: smartphones, laptops, TVs and home appliances."
            ),
        },
        "website": "https://elektronplus.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/elektron-plus.png",
        "contacts": {"phone": "+7 727 344 00 00", "email": "info@elektronplus.kz"},
        "locations": [
            {"city": "Almaty", "address": "пр. Абая, 109", "lat": 43.241, "lon": 76.906},
            {"city": "Astana", "address": "пр. Кабанбай батыра, 62", "lat": 51.102, "lon": 71.417},
            {"city": "Karaganda", "address": "пр. Бухар Жырау, 35", "lat": 49.81, "lon": 73.101},
            {"city": "Aktobe", "address": "пр. Санкибай батыра, 17", "lat": 50.295, "lon": 57.175},
        ],
        "offers": [
            {
                "category": "shopping",
                "title": {
                    "kk": "Смартфондарға 10% жеңілдік",
                    "ru": "Скидка 10% на смартфоны",
                    "en": "10% off smartphones",
                },
                "description": {
                    "kk": "Apple, Samsung және Xiaomi — дүкендерде және интернет-дүкенде.",
                    "ru": "Apple, Samsung и Xiaomi — в магазинах и интернет-магазине.",
                    "en": "Apple, Samsung and Xiaomi — in store and online.",
                },
                "terms": {
                    "kk": "Бір қызметкерге айына бір смартфон.",
                    "ru": "Один смартфон в месяц на сотрудника.",
                    "en": "One smartphone per employee per month.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-20, 100],
                "featured": True,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Ноутбуктерге 15% жеңілдік",
                    "ru": "Скидка 15% на ноутбуки",
                    "en": "15% off laptops",
                },
                "description": {
                    "kk": "Жұмыс пен оқуға арналған ноутбуктер, мониторлар және керек-жарақтар.",
                    "ru": "Ноутбуки, мониторы и аксессуары для работы и учёбы.",
                    "en": "Laptops, monitors and accessories for work and study.",
                },
                "terms": {
                    "kk": "Steppe Telecom қызметкерлеріне арналған.",
                    "ru": "Для сотрудников Steppe Telecom.",
                    "en": "For Steppe Telecom employees.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-15, 90],
                "featured": False,
                "eligibility": {"companies": ["Steppe Telecom"], "departments": [], "cities": []},
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Тұрмыстық техникаға 15 000 ₸ жеңілдік",
                    "ru": "Скидка 15 000 ₸ на бытовую технику",
                    "en": "15 000 ₸ off home appliances",
                },
                "description": {
                    "kk": "Кір жуғыш машиналар, тоңазытқыштар және шаңсорғыштар.",
                    "ru": "Стиральные машины, холодильники и пылесосы.",
                    "en": "Washing machines, fridges and vacuum cleaners.",
                },
                "terms": {
                    "kk": "150 000 ₸-ден асатын сатып алуға.",
                    "ru": "При покупке от 150 000 ₸.",
                    "en": "On purchases over 150 000 ₸.",
                },
                "discount": {"kind": "fixed", "value": 15000},
                "days": [-30, 120],
                "featured": False,
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "«Қара жұма»: теледидарларға 35% жеңілдік",
                    "ru": "«Чёрная пятница»: скидка 35% на телевизоры",
                    "en": "Black Friday: 35% off TVs",
                },
                "description": {
                    "kk": "4K және OLED теледидарлары — қысқа мерзімді акция.",
                    "ru": "Телевизоры 4K и OLED — короткая акция.",
                    "en": "4K and OLED TVs — a short-term promotion.",
                },
                "terms": {
                    "kk": "Тауар саны шектеулі.",
                    "ru": "Количество товара ограничено.",
                    "en": "While stocks last.",
                },
                "discount": {"kind": "percent", "value": 35},
                "days": [-45, -15],
                "featured": False,
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Смартфонға қорғаныш әйнек сыйлыққа",
                    "ru": "Защитное стекло в подарок к смартфону",
                    "en": "Free screen protector with any smartphone",
                },
                "description": {
                    "kk": "Смартфон сатып алғанда қорғаныш әйнегін тегін жапсырып береміз.",
                    "ru": "При покупке смартфона бесплатно наклеим защитное стекло.",
                    "en": "Buy a smartphone and we'll fit a screen protector for free.",
                },
                "terms": {"kk": "Тек дүкендерде.", "ru": "Только в магазинах.", "en": "In store only."},
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Қорғаныш әйнек сыйлыққа",
                        "ru": "Защитное стекло в подарок",
                        "en": "Free screen protector",
                    },
                },
                "days": [-10, 60],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Qazaq Style", "ru": "Qazaq Style", "en": "Qazaq Style"},
        "description": {
            "kk": (
                "Ұлттық ою-өрнектер қосылған заманауи киім бренді: күнделікті және кеңсе киімі, мерекелік "
                "шапандар."
            ),
            "ru": (
                "Бренд современной одежды с национальными орнаментами: повседневная и офисная одежда, "
                "праздничные чапаны."
            ),
            "en": (
                "A modern clothing brand with Kazakh ornaments: everyday and office wear, and festive "
                "chapans."
            ),
        },
        "website": "https://qazaqstyle.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/qazaq-style.png",
        "contacts": {"phone": "+7 727 390 77 88", "email": "info@qazaqstyle.kz"},
        "locations": [
            {"city": "Almaty", "address": "пр. Достык, 91", "lat": 43.233, "lon": 76.956},
            {"city": "Astana", "address": "ул. Достык, 9", "lat": 51.128, "lon": 71.432},
            {"city": "Shymkent", "address": "ул. Байтурсынова, 3", "lat": 42.325, "lon": 69.603},
        ],
        "offers": [
            {
                "category": "shopping",
                "title": {
                    "kk": "Жаңа коллекцияға 20% жеңілдік",
                    "ru": "Скидка 20% на новую коллекцию",
                    "en": "20% off the new collection",
                },
                "description": {
                    "kk": "Ою-өрнекті көйлектер, жейделер және пиджактар.",
                    "ru": "Платья, рубашки и пиджаки с орнаментом.",
                    "en": "Dresses, shirts and jackets with ornamental details.",
                },
                "terms": {
                    "kk": "Дүкендерде және сайтта жарамды.",
                    "ru": "Действует в магазинах и на сайте.",
                    "en": "Valid in store and online.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 90],
                "featured": False,
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Кеңсе киіміне 30% жеңілдік",
                    "ru": "Скидка 30% на офисную одежду",
                    "en": "30% off office wear",
                },
                "description": {
                    "kk": "Ұлттық нақыштағы кеңсе киімі — жиналыс пен іскерлік кездесулерге.",
                    "ru": "Офисная одежда в национальном стиле — для совещаний и деловых встреч.",
                    "en": "Office wear with a national touch, for meetings and business appointments.",
                },
                "terms": {
                    "kk": "Qazaq Retail Group қызметкерлеріне.",
                    "ru": "Для сотрудников Qazaq Retail Group.",
                    "en": "For Qazaq Retail Group employees.",
                },
                "discount": {"kind": "percent", "value": 30},
                "days": [-30, 120],
                "featured": False,
                "eligibility": {"companies": ["Qazaq Retail Group"], "departments": [], "cities": []},
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Шапанға кесте тегін",
                    "ru": "Бесплатная вышивка на чапане",
                    "en": "Free embroidery on a chapan",
                },
                "description": {
                    "kk": "Шапан сатып алсаңыз, атыңызды немесе таңдаған өрнекті тегін кестелеп береміз.",
                    "ru": "При покупке чапана бесплатно вышьем имя или выбранный орнамент.",
                    "en": "Buy a chapan and we'll embroider a name or ornament of your choice for free.",
                },
                "terms": {
                    "kk": "Дайын болу мерзімі — 5 жұмыс күні.",
                    "ru": "Срок изготовления — 5 рабочих дней.",
                    "en": "Ready in 5 working days.",
                },
                "discount": {
                    "kind": "special",
                    "text": {"kk": "Кесте тегін", "ru": "Вышивка бесплатно", "en": "Free embroidery"},
                },
                "days": [-15, 100],
                "featured": False,
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Аяқ киімге 5 000 ₸ жеңілдік",
                    "ru": "Скидка 5 000 ₸ на обувь",
                    "en": "5 000 ₸ off footwear",
                },
                "description": {
                    "kk": "Былғары аяқ киім және ұлттық өрнекті етіктер.",
                    "ru": "Кожаная обувь и сапоги с национальным орнаментом.",
                    "en": "Leather shoes and boots with traditional ornaments.",
                },
                "terms": {
                    "kk": "30 000 ₸-ден асатын сатып алуға.",
                    "ru": "При покупке от 30 000 ₸.",
                    "en": "On purchases over 30 000 ₸.",
                },
                "discount": {"kind": "fixed", "value": 5000},
                "days": [-10, 60],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Балалар киіміне 15% жеңілдік",
                    "ru": "Скидка 15% на детскую одежду",
                    "en": "15% off children's clothing",
                },
                "description": {
                    "kk": "Наурыз мерекесі мен мектептегі іс-шараларға арналған ұлттық киімдер.",
                    "ru": "Национальные костюмы к Наурызу и школьным праздникам.",
                    "en": "Traditional outfits for Nauryz and school events.",
                },
                "terms": {"kk": "Тек дүкендерде.", "ru": "Только в магазинах.", "en": "In store only."},
                "discount": {"kind": "percent", "value": 15},
                "days": [-25, 80],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Shyn Sport", "ru": "Shyn Sport", "en": "Shyn Sport"},
        "description": {
            "kk": (
                "Спорт және туризм тауарларының дүкені: жүгіруге, тауға шығуға және шаңғы тебуге арналған "
                "киім мен жабдық."
            ),
            "ru": "Магазин товаров для спорта и туризма: одежда и снаряжение для бега, походов в горы и лыж.",
            "en": "A sports and outdoor store: clothing and gear for running, hiking and skiing.",
        },
        "website": "https://shynsport.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/shyn-sport.png",
        "contacts": {"phone": "+7 727 355 10 10", "email": "info@shynsport.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Тимирязева, 15", "lat": 43.231, "lon": 76.918},
            {"city": "Astana", "address": "пр. Республики, 52", "lat": 51.163, "lon": 71.432},
            {"city": "Karaganda", "address": "пр. Нуркена Абдирова, 30", "lat": 49.802, "lon": 73.105},
        ],
        "offers": [
            {
                "category": "shopping",
                "title": {
                    "kk": "Жүгіру аяқ киіміне 15% жеңілдік",
                    "ru": "Скидка 15% на беговую обувь",
                    "en": "15% off running shoes",
                },
                "description": {
                    "kk": "Жүгіру техникаңызды талдап, өзіңізге лайық кроссовка таңдаймыз.",
                    "ru": "Проанализируем технику бега и подберём подходящие кроссовки.",
                    "en": "We'll analyse your running gait and find the right shoes for you.",
                },
                "terms": {"kk": "Тек дүкендерде.", "ru": "Только в магазинах.", "en": "In store only."},
                "discount": {"kind": "percent", "value": 15},
                "days": [-20, 100],
                "featured": False,
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Туристік жабдыққа 25% жеңілдік",
                    "ru": "Скидка 25% на туристическое снаряжение",
                    "en": "25% off hiking gear",
                },
                "description": {
                    "kk": "Шатырлар, рюкзактар және ұйықтау қаптары — жазғы жорықтар маусымына.",
                    "ru": "Палатки, рюкзаки и спальники — к сезону летних походов.",
                    "en": "Tents, backpacks and sleeping bags for the summer hiking season.",
                },
                "terms": {
                    "kk": "Акция кезінде дүкендерде және сайтта.",
                    "ru": "В период акции в магазинах и на сайте.",
                    "en": "In store and online during the promotion.",
                },
                "discount": {"kind": "percent", "value": 25},
                "days": [5, 45],
                "featured": False,
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Шаңғыны баптау тегін",
                    "ru": "Бесплатная подготовка лыж",
                    "en": "Free ski tuning",
                },
                "description": {
                    "kk": "Шаңғы немесе сноуборд сатып алсаңыз, жиектерін қайрап, балауыз жағып береміз.",
                    "ru": "При покупке лыж или сноуборда заточим канты и нанесём парафин.",
                    "en": "Buy skis or a snowboard and we'll sharpen the edges and wax them for free.",
                },
                "terms": {
                    "kk": "Сатып алған күннен бастап бір ай ішінде.",
                    "ru": "В течение месяца с даты покупки.",
                    "en": "Within a month of purchase.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Шаңғыны баптау тегін",
                        "ru": "Подготовка лыж бесплатно",
                        "en": "Free ski tuning",
                    },
                },
                "days": [-30, 60],
                "featured": False,
            },
            {
                "category": "fitness",
                "title": {
                    "kk": "Фитнес-білезікке 3 000 ₸ жеңілдік",
                    "ru": "Скидка 3 000 ₸ на фитнес-браслет",
                    "en": "3 000 ₸ off a fitness tracker",
                },
                "description": {
                    "kk": "Қадамды, ұйқыны және жаттығу кезіндегі пульсті санайтын білезіктер.",
                    "ru": "Браслеты, которые считают шаги, сон и пульс на тренировках.",
                    "en": "Trackers that count your steps, sleep and heart rate during workouts.",
                },
                "terms": {
                    "kk": "Бір қызметкерге бір білезік.",
                    "ru": "Один браслет на сотрудника.",
                    "en": "One tracker per employee.",
                },
                "discount": {"kind": "fixed", "value": 3000},
                "days": [-15, 90],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Балалар спорт киіміне 10% жеңілдік",
                    "ru": "Скидка 10% на детскую спортивную одежду",
                    "en": "10% off kids' sportswear",
                },
                "description": {
                    "kk": "Спорт секцияларына және мектептегі дене шынықтыру сабағына.",
                    "ru": "Для спортивных секций и школьной физкультуры.",
                    "en": "For sports clubs and school PE.",
                },
                "terms": {
                    "kk": "Дүкендерде және сайтта жарамды.",
                    "ru": "Действует в магазинах и на сайте.",
                    "en": "Valid in store and online.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-25, 100],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "«Балапан» балалар клубы", "ru": "Детский клуб «Балапан»", "en": "Balapan Kids Club"},
        "description": {
            "kk": (
                "Балаларды дамыту орталығы: мектепке дайындық, шығармашылық үйірмелер және балалар "
                "мерекелері."
            ),
            "ru": "Детский развивающий центр: подготовка к школе, творческие кружки и детские праздники.",
            "en": "A children's development centre: school readiness, creative clubs and kids' parties.",
        },
        "website": "https://balapankids.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/balapan-kids-club.png",
        "contacts": {"phone": "+7 717 299 44 11", "email": "info@balapankids.kz"},
        "locations": [
            {"city": "Astana", "address": "пр. Улы Дала, 31", "lat": 51.112, "lon": 71.4},
            {"city": "Almaty", "address": "ул. Байзакова, 280", "lat": 43.234, "lon": 76.916},
            {"city": "Aktobe", "address": "пр. Абая, 44", "lat": 50.285, "lon": 57.196},
        ],
        "offers": [
            {
                "category": "kids",
                "title": {
                    "kk": "Мектепке дайындыққа 20% жеңілдік",
                    "ru": "Скидка 20% на подготовку к школе",
                    "en": "20% off school-readiness classes",
                },
                "description": {
                    "kk": (
                        "5–6 жастағы балаларға оқу, жазу және санау сабақтары — қазақ және орыс тілдерінде."
                    ),
                    "ru": "Чтение, письмо и счёт для детей 5–6 лет — на казахском и русском языках.",
                    "en": "Reading, writing and maths for 5–6 year-olds, in Kazakh and Russian.",
                },
                "terms": {
                    "kk": "Айлық абонементке.",
                    "ru": "На месячный абонемент.",
                    "en": "On a monthly pass.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-30, 120],
                "featured": True,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Жазғы лагерь: екінші апта тегін",
                    "ru": "Летний лагерь: вторая неделя бесплатно",
                    "en": "Summer day camp: second week free",
                },
                "description": {
                    "kk": "Ойындар, экскурсиялар және шығармашылық — балалар күні бойы бізбен бірге.",
                    "ru": "Игры, экскурсии и творчество — дети весь день с нами.",
                    "en": "Games, outings and crafts, with the kids in our care all day.",
                },
                "terms": {
                    "kk": "Бірден екі аптаға жазылғанда.",
                    "ru": "При записи сразу на две недели.",
                    "en": "When booking two weeks at once.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Екінші апта тегін",
                        "ru": "Вторая неделя бесплатно",
                        "en": "Second week free",
                    },
                },
                "days": [20, 110],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Туған күн мерекесіне 10 000 ₸ жеңілдік",
                    "ru": "Скидка 10 000 ₸ на детский праздник",
                    "en": "10 000 ₸ off a birthday party",
                },
                "description": {
                    "kk": "Аниматорлар, ойын бөлмесі және торт — 15 балаға дейін.",
                    "ru": "Аниматоры, игровая комната и торт — до 15 детей.",
                    "en": "Entertainers, a playroom and a cake, for up to 15 children.",
                },
                "terms": {
                    "kk": "Кемінде бір апта бұрын брондау қажет.",
                    "ru": "Бронирование минимум за неделю.",
                    "en": "Book at least a week in advance.",
                },
                "discount": {"kind": "fixed", "value": 10000},
                "days": [-20, 100],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Сынақ сабағы тегін",
                    "ru": "Пробное занятие бесплатно",
                    "en": "Free trial class",
                },
                "description": {
                    "kk": "Кез келген үйірмеге: сурет, би, шахмат немесе ағылшын тілі.",
                    "ru": "В любой кружок: рисование, танцы, шахматы или английский.",
                    "en": "In any club: art, dance, chess or English.",
                },
                "terms": {"kk": "Бір балаға бір рет.", "ru": "Один раз на ребёнка.", "en": "Once per child."},
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Сынақ сабағы тегін",
                        "ru": "Пробное занятие бесплатно",
                        "en": "Free trial class",
                    },
                },
                "days": [-15, 90],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Шығармашылық үйірмелерге 10% жеңілдік",
                    "ru": "Скидка 10% на творческие кружки",
                    "en": "10% off creative clubs",
                },
                "description": {
                    "kk": "Керамика, сурет салу және домбыра сабақтары.",
                    "ru": "Керамика, рисование и уроки домбры.",
                    "en": "Pottery, drawing and dombra lessons.",
                },
                "terms": {
                    "kk": "Айлық абонементке.",
                    "ru": "На месячный абонемент.",
                    "en": "On a monthly pass.",
                },
                "discount": {"kind": "percent", "value": 10},
                "days": [-25, 90],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Robo Bala", "ru": "Robo Bala", "en": "Robo Bala"},
        "description": {
            "kk": "Балаларға арналған робототехника және бағдарламалау мектебі: LEGO, Arduino және Scratch.",
            "ru": "Школа робототехники и программирования для детей: LEGO, Arduino и Scratch.",
            "en": "A robotics and coding school for children: LEGO, Arduino and Scratch.",
        },
        "website": "https://robobala.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/robo-bala.png",
        "contacts": {"phone": "+7 727 398 12 00", "email": "info@robobala.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Сатпаева, 90", "lat": 43.236, "lon": 76.905},
            {"city": "Karaganda", "address": "ул. Ермекова, 29", "lat": 49.812, "lon": 73.105},
            {"city": "Shymkent", "address": "пр. Абая, 17", "lat": 42.306, "lon": 69.59},
        ],
        "offers": [
            {
                "category": "kids",
                "title": {
                    "kk": "Робототехника курсына 20% жеңілдік",
                    "ru": "Скидка 20% на курс робототехники",
                    "en": "20% off the robotics course",
                },
                "description": {
                    "kk": "7–12 жастағы балалар өз роботтарын құрастырып, бағдарламалайды.",
                    "ru": "Дети 7–12 лет собирают и программируют собственных роботов.",
                    "en": "Children aged 7–12 build and program their own robots.",
                },
                "terms": {
                    "kk": "Айлық абонементке.",
                    "ru": "На месячный абонемент.",
                    "en": "On a monthly pass.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 100],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Сынақ сабағы тегін",
                    "ru": "Бесплатное пробное занятие",
                    "en": "Free trial lesson",
                },
                "description": {
                    "kk": "Бір сағатта балаңыз өзінің алғашқы роботын құрастырады.",
                    "ru": "За час ребёнок соберёт своего первого робота.",
                    "en": "In one hour your child will build their first robot.",
                },
                "terms": {
                    "kk": "Алдын ала жазылу бойынша.",
                    "ru": "По предварительной записи.",
                    "en": "By appointment.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Сынақ сабағы тегін",
                        "ru": "Пробное занятие бесплатно",
                        "en": "Free trial lesson",
                    },
                },
                "days": [-30, 120],
                "featured": False,
                "limits": {"per_employee": 1},
            },
            {
                "category": "education",
                "title": {
                    "kk": "Жазғы IT-лагерьге 5 000 ₸ жеңілдік",
                    "ru": "Скидка 5 000 ₸ на летний IT-лагерь",
                    "en": "5 000 ₸ off the summer IT camp",
                },
                "description": {
                    "kk": "Scratch-та ойын жасау және дрондарды басқару — екі апта бойы.",
                    "ru": "Создание игр в Scratch и управление дронами — две недели.",
                    "en": "Making games in Scratch and flying drones — two weeks.",
                },
                "terms": {
                    "kk": "Ерте төлеген жағдайда.",
                    "ru": "При ранней оплате.",
                    "en": "When paid early.",
                },
                "discount": {"kind": "fixed", "value": 5000},
                "days": [-10, 90],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Екінші балаға 15% жеңілдік",
                    "ru": "Скидка 15% на второго ребёнка",
                    "en": "15% off for a second child",
                },
                "description": {
                    "kk": "Бауырлар бір топта бірге оқи алады.",
                    "ru": "Братья и сёстры могут заниматься в одной группе.",
                    "en": "Brothers and sisters can study in the same group.",
                },
                "terms": {
                    "kk": "Бір отбасындағы екінші балаға.",
                    "ru": "На второго ребёнка из одной семьи.",
                    "en": "For the second child from the same family.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-25, 110],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Киносарай", "ru": "Киносарай", "en": "Kino Sarai"},
        "description": {
            "kk": "Заманауи кинотеатрлар желісі: IMAX залдары, Dolby Atmos дыбысы және жайлы креслолар.",
            "ru": "Сеть современных кинотеатров: залы IMAX, звук Dolby Atmos и кресла-реклайнеры.",
            "en": "A chain of modern cinemas: IMAX screens, Dolby Atmos sound and recliner seats.",
        },
        "website": "https://kinosarai.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/kino-sarai.png",
        "contacts": {"phone": "+7 727 350 00 50", "email": "info@kinosarai.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Розыбакиева, 247а", "lat": 43.201, "lon": 76.892},
            {"city": "Astana", "address": "пр. Туран, 37", "lat": 51.1325, "lon": 71.404},
            {"city": "Atyrau", "address": "ул. Баймуханова, 45", "lat": 47.11, "lon": 51.905},
            {"city": "Shymkent", "address": "пр. Тауке хана, 95", "lat": 42.328, "lon": 69.62},
        ],
        "offers": [
            {
                "category": "entertainment",
                "title": {
                    "kk": "Кино билеттеріне 30% жеңілдік",
                    "ru": "Скидка 30% на билеты в кино",
                    "en": "30% off cinema tickets",
                },
                "description": {
                    "kk": "Барлық сеанстар мен залдарға, соның ішінде IMAX-қа.",
                    "ru": "На все сеансы и залы, включая IMAX.",
                    "en": "For all screenings and screens, IMAX included.",
                },
                "terms": {
                    "kk": "Бір чекте төрт билетке дейін.",
                    "ru": "До четырёх билетов в одном чеке.",
                    "en": "Up to four tickets per purchase.",
                },
                "discount": {"kind": "percent", "value": 30},
                "days": [-20, 120],
                "featured": True,
                "limits": {"per_employee_per_month": 4},
            },
            {
                "category": "entertainment",
                "title": {"kk": "Попкорн сыйлыққа", "ru": "Попкорн в подарок", "en": "Free popcorn"},
                "description": {
                    "kk": "Екі билет сатып алсаңыз, орташа попкорн тегін.",
                    "ru": "При покупке двух билетов — средний попкорн бесплатно.",
                    "en": "Buy two tickets and get a medium popcorn free.",
                },
                "terms": {
                    "kk": "Кинотеатр кассасында.",
                    "ru": "В кассе кинотеатра.",
                    "en": "At the cinema box office.",
                },
                "discount": {
                    "kind": "special",
                    "text": {"kk": "Попкорн сыйлыққа", "ru": "Попкорн в подарок", "en": "Free popcorn"},
                },
                "days": [-15, 90],
                "featured": False,
            },
            {
                "category": "entertainment",
                "title": {
                    "kk": "Таңғы сеанстарға 50% жеңілдік",
                    "ru": "Скидка 50% на утренние сеансы",
                    "en": "50% off morning screenings",
                },
                "description": {
                    "kk": "Демалыс күндері 12:00-ге дейінгі сеанстар — отбасымен келуге ыңғайлы.",
                    "ru": "Сеансы до 12:00 по выходным — удобно прийти всей семьёй.",
                    "en": "Weekend screenings before noon, perfect for the whole family.",
                },
                "terms": {
                    "kk": "Сенбі және жексенбі күндері.",
                    "ru": "По субботам и воскресеньям.",
                    "en": "Saturdays and Sundays.",
                },
                "discount": {"kind": "percent", "value": 50},
                "days": [-30, 100],
                "featured": False,
            },
            {
                "category": "entertainment",
                "title": {
                    "kk": "Премьералар түні 1 990 ₸",
                    "ru": "Ночь премьер за 1 990 ₸",
                    "en": "Premiere night for 1 990 ₸",
                },
                "description": {
                    "kk": "Бір түнде үш жаңа фильм — кофе мен тәттілер бағаға кіреді.",
                    "ru": "Три новых фильма за одну ночь — кофе и сладости включены.",
                    "en": "Three new films in one night, with coffee and snacks included.",
                },
                "terms": {
                    "kk": "Билет саны шектеулі.",
                    "ru": "Количество билетов ограничено.",
                    "en": "Limited tickets.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Премьералар түні 1 990 ₸-ге",
                        "ru": "Ночь премьер за 1 990 ₸",
                        "en": "Premiere night for 1 990 ₸",
                    },
                },
                "days": [-40, -2],
                "featured": False,
            },
            {
                "category": "entertainment",
                "title": {
                    "kk": "Корпоративке зал жалдауға 20 000 ₸ жеңілдік",
                    "ru": "Скидка 20 000 ₸ на аренду зала для корпоратива",
                    "en": "20 000 ₸ off private screening hire",
                },
                "description": {
                    "kk": "Кез келген фильмді бүкіл ұжыммен жеке залда көріңіз.",
                    "ru": "Смотрите любой фильм всей командой в отдельном зале.",
                    "en": "Watch any film with your team in a private screen.",
                },
                "terms": {
                    "kk": "Кемінде үш күн бұрын брондау қажет.",
                    "ru": "Бронирование минимум за три дня.",
                    "en": "Book at least three days ahead.",
                },
                "discount": {"kind": "fixed", "value": 20000},
                "days": [-10, 150],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Strike Bowling", "ru": "Strike Bowling", "en": "Strike Bowling"},
        "description": {
            "kk": "Боулинг-клубтар: заманауи жолдар, бильярд, караоке және отбасылық кафе.",
            "ru": "Боулинг-клубы: современные дорожки, бильярд, караоке и семейное кафе.",
            "en": "Bowling clubs with modern lanes, billiards, karaoke and a family café.",
        },
        "website": "https://strikebowling.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/strike-bowling.png",
        "contacts": {"phone": "+7 721 250 60 70", "email": "info@strikebowling.kz"},
        "locations": [
            {"city": "Almaty", "address": "ул. Толе би, 59", "lat": 43.255, "lon": 76.93},
            {"city": "Karaganda", "address": "пр. Бухар Жырау, 76", "lat": 49.801, "lon": 73.099},
            {"city": "Aktau", "address": "8-й мкр., 1", "lat": 43.641, "lon": 51.158},
        ],
        "offers": [
            {
                "category": "entertainment",
                "title": {
                    "kk": "Боулинг жолына 20% жеңілдік",
                    "ru": "Скидка 20% на аренду дорожки",
                    "en": "20% off lane hire",
                },
                "description": {
                    "kk": "Жолды бір сағатқа немесе одан да ұзақ уақытқа жалға алыңыз.",
                    "ru": "Аренда дорожки на час и дольше.",
                    "en": "Lane hire for an hour or longer.",
                },
                "terms": {
                    "kk": "Жұмыс күндері 18:00-ге дейін.",
                    "ru": "По будням до 18:00.",
                    "en": "Weekdays until 6 pm.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-20, 100],
                "featured": False,
            },
            {
                "category": "entertainment",
                "title": {
                    "kk": "Корпоративтік турнир 59 900 ₸",
                    "ru": "Корпоративный турнир за 59 900 ₸",
                    "en": "Corporate tournament for 59 900 ₸",
                },
                "description": {
                    "kk": "Үш жол, төреші, марапаттау және фуршет — 18 адамға дейін.",
                    "ru": "Три дорожки, судья, награждение и фуршет — до 18 человек.",
                    "en": "Three lanes, a referee, prizes and a buffet, for up to 18 people.",
                },
                "terms": {
                    "kk": "Турнир күнін алдын ала келісу қажет.",
                    "ru": "Дату турнира нужно согласовать заранее.",
                    "en": "The tournament date must be agreed in advance.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Турнир 59 900 ₸-ге",
                        "ru": "Турнир за 59 900 ₸",
                        "en": "Tournament for 59 900 ₸",
                    },
                },
                "days": [3, 30],
                "featured": False,
            },
            {
                "category": "entertainment",
                "title": {
                    "kk": "Бильярдтың бір сағаты сыйлыққа",
                    "ru": "Час бильярда в подарок",
                    "en": "A free hour of billiards",
                },
                "description": {
                    "kk": "Боулингтің екі сағатына бильярдтың бір сағаты сыйлыққа беріледі.",
                    "ru": "К двум часам боулинга — час бильярда в подарок.",
                    "en": "Book two hours of bowling and get an hour of billiards free.",
                },
                "terms": {
                    "kk": "Бір топқа бір рет.",
                    "ru": "Один раз на компанию гостей.",
                    "en": "Once per group.",
                },
                "discount": {
                    "kind": "special",
                    "text": {
                        "kk": "Бильярдтың бір сағаты тегін",
                        "ru": "Час бильярда бесплатно",
                        "en": "A free hour of billiards",
                    },
                },
                "days": [-15, 80],
                "featured": False,
            },
            {
                "category": "food",
                "title": {
                    "kk": "Клуб кафесінде 15% жеңілдік",
                    "ru": "Скидка 15% в кафе клуба",
                    "en": "15% off at the club café",
                },
                "description": {
                    "kk": "Пицца, бургерлер және сусындар — ойын арасында.",
                    "ru": "Пицца, бургеры и напитки — между партиями.",
                    "en": "Pizza, burgers and drinks between games.",
                },
                "terms": {
                    "kk": "Алкогольге қолданылмайды.",
                    "ru": "Не распространяется на алкоголь.",
                    "en": "Excludes alcohol.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-25, 90],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Балалар мерекесіне 5 000 ₸ жеңілдік",
                    "ru": "Скидка 5 000 ₸ на детский праздник",
                    "en": "5 000 ₸ off a kids' party",
                },
                "description": {
                    "kk": "Балаларға арналған жеңіл шарлар мен бортиктері бар жол.",
                    "ru": "Дорожка с бортиками и лёгкие шары для детей.",
                    "en": "A lane with bumpers and light balls for children.",
                },
                "terms": {"kk": "10 балаға дейін.", "ru": "До 10 детей.", "en": "For up to 10 children."},
                "discount": {"kind": "fixed", "value": 5000},
                "days": [-10, 100],
                "featured": False,
            },
        ],
    },
    {
        "name": {"kk": "Ойыншық әлемі", "ru": "Ойыншық әлемі", "en": "Oiynshyq Alemi Toys"},
        "description": {
            "kk": (
                "Ойыншықтар дүкені: конструкторлар, үстел ойындары, қуыршақтар және әр жасқа арналған "
                "дамытушы ойыншықтар."
            ),
            "ru": (
                "Магазин игрушек: конструкторы, настольные игры, куклы и развивающие игрушки для любого "
                "возраста."
            ),
            "en": "A toy store: building sets, board games, dolls and educational toys for every age.",
        },
        "website": "https://oiynshyq.kz",
        "logo_url": "https://cdn.demo.loyalty.kz/logos/oiynshyq-alemi.png",
        "contacts": {"phone": "+7 712 232 15 15", "email": "info@oiynshyq.kz"},
        "locations": [
            {"city": "Atyrau", "address": "ул. Айтеке би, 32", "lat": 47.103, "lon": 51.928},
            {"city": "Astana", "address": "ул. Сарайшык, 34", "lat": 51.13, "lon": 71.445},
        ],
        "offers": [
            {
                "category": "kids",
                "title": {
                    "kk": "Барлық ойыншықтарға 15% жеңілдік",
                    "ru": "Скидка 15% на все игрушки",
                    "en": "15% off all toys",
                },
                "description": {
                    "kk": "Дүкендегі кез келген ойыншыққа, жаңа түскен тауарларды қоса алғанда.",
                    "ru": "На любые игрушки в магазине, включая новинки.",
                    "en": "On any toy in the store, new arrivals included.",
                },
                "terms": {
                    "kk": "Акциядағы тауарларға қолданылмайды.",
                    "ru": "Не распространяется на акционные товары.",
                    "en": "Excludes items already on promotion.",
                },
                "discount": {"kind": "percent", "value": 15},
                "days": [-20, 90],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Үстел ойындарына 20% жеңілдік",
                    "ru": "Скидка 20% на настольные игры",
                    "en": "20% off board games",
                },
                "description": {
                    "kk": (
                        "Отбасылық кештерге арналған ойындар — «Монополиядан» бастап қазақша викториналарға "
                        "дейін."
                    ),
                    "ru": "Игры для семейных вечеров — от «Монополии» до викторин на казахском.",
                    "en": "Games for family evenings, from Monopoly to quizzes in Kazakh.",
                },
                "terms": {
                    "kk": "Дүкендерде және сайтта жарамды.",
                    "ru": "Действует в магазинах и на сайте.",
                    "en": "Valid in store and online.",
                },
                "discount": {"kind": "percent", "value": 20},
                "days": [-15, 100],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "Сыйлықты тегін орау",
                    "ru": "Бесплатная подарочная упаковка",
                    "en": "Free gift wrapping",
                },
                "description": {
                    "kk": "Туған күнге арналған сыйлықты әдемі қағазға орап, ашықхат қосамыз.",
                    "ru": "Красиво упакуем подарок ко дню рождения и добавим открытку.",
                    "en": "We'll gift-wrap your birthday present and add a card.",
                },
                "terms": {
                    "kk": "Кез келген сатып алуға.",
                    "ru": "К любой покупке.",
                    "en": "With any purchase.",
                },
                "discount": {
                    "kind": "special",
                    "text": {"kk": "Орау тегін", "ru": "Упаковка бесплатно", "en": "Free gift wrapping"},
                },
                "days": [-30, 150],
                "featured": False,
            },
            {
                "category": "kids",
                "title": {
                    "kk": "LEGO конструкторларына 3 000 ₸ жеңілдік",
                    "ru": "Скидка 3 000 ₸ на конструкторы LEGO",
                    "en": "3 000 ₸ off LEGO sets",
                },
                "description": {
                    "kk": "Барлық сериялар: City, Technic, Friends және Duplo.",
                    "ru": "Все серии: City, Technic, Friends и Duplo.",
                    "en": "Every series: City, Technic, Friends and Duplo.",
                },
                "terms": {
                    "kk": "25 000 ₸-ден асатын сатып алуға.",
                    "ru": "При покупке от 25 000 ₸.",
                    "en": "On purchases over 25 000 ₸.",
                },
                "discount": {"kind": "fixed", "value": 3000},
                "days": [-10, 60],
                "featured": False,
                "limits": {"per_employee_per_month": 1},
            },
            {
                "category": "shopping",
                "title": {
                    "kk": "Мектеп сөмкелеріне 10% жеңілдік",
                    "ru": "Скидка 10% на школьные рюкзаки",
                    "en": "10% off school backpacks",
                },
                "description": {
                    "kk": "Ортопедиялық арқасы бар сөмкелер мен қаламсауыттар — бірінші сыныпқа дайындық.",
                    "ru": "Ранцы с ортопедической спинкой и пеналы — готовимся к первому классу.",
                    "en": "Backpacks with orthopaedic backs and pencil cases, ready for first grade.",
                },
                "terms": {"kk": "Тек дүкендерде.", "ru": "Только в магазинах.", "en": "In store only."},
                "discount": {"kind": "percent", "value": 10},
                "days": [-15, 75],
                "featured": False,
            },
        ],
    },
]
