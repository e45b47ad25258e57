"""Synthetic Kazakh and Russian names, addresses and phone numbers for the demo region.

Every person in the demo is composed at random from common first names, surnames and
patronymics; no name stands for a real person. Phone numbers all carry ``555`` as the first
group of the subscriber number (like the fictional 555 numbers of film) and must never be dialled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

# Name lists are kept compact, several to a line.
# fmt: off
KK_MALE: Final = (
    "Нұрлан", "Ерлан", "Асқар", "Бауыржан", "Дәурен", "Ержан", "Мұрат", "Серік", "Қанат",
    "Арман", "Айдос", "Алмас", "Нұрсұлтан", "Ернар", "Әлихан", "Диас", "Санжар", "Тимур",
    "Мирас", "Ислам", "Әділет", "Бекзат", "Дамир", "Ерасыл", "Нұрдәулет", "Рауан", "Темірлан",
    "Ансар", "Айбек", "Жандос", "Ақжол", "Еламан", "Болат", "Ғалым", "Жасұлан", "Марат",
)
KK_FEMALE: Final = (
    "Айгерім", "Ақмарал", "Аружан", "Гүлнар", "Динара", "Жанар", "Жансая", "Зарина", "Іңкәр",
    "Қарлығаш", "Мадина", "Назерке", "Нұрай", "Сабина", "Сая", "Томирис", "Ұлжан", "Әсел",
    "Балнұр", "Дана", "Айым", "Аяжан", "Мөлдір", "Перизат", "Салтанат", "Гүлжан", "Ләззат",
    "Ақбота", "Әйгерім", "Жұлдыз", "Меруерт", "Самал",
)
KK_SURNAMES: Final = (
    "Абдрахманов", "Ахметов", "Әбенов", "Байжанов", "Бекмұратов", "Досжанов", "Ермеков",
    "Жақсыбеков", "Жұмабаев", "Исаев", "Қасымов", "Қожахметов", "Құдайбергенов", "Нұрғалиев",
    "Оспанов", "Сәрсенбаев", "Сейітов", "Серікбаев", "Тоқтаров", "Төлеуов", "Шәкенов", "Есенов",
    "Жанұзақов", "Кенжебаев", "Мамыров", "Омаров", "Рахымжанов", "Сұлтанов", "Тұрсынов",
    "Әлиев", "Бейсенов", "Дүйсенов", "Ибраев", "Қалиев", "Мұратов", "Садықов", "Үсенов",
    "Жолдасбеков", "Сағынтай", "Нұрмағамбет", "Әміржан",
)
RU_MALE: Final = (
    "Александр", "Дмитрий", "Максим", "Артём", "Иван", "Никита", "Михаил", "Даниил", "Егор",
    "Андрей", "Кирилл", "Илья", "Алексей", "Сергей", "Владимир", "Роман", "Николай", "Павел",
    "Денис", "Евгений", "Виктор", "Олег", "Игорь", "Константин",
)
RU_FEMALE: Final = (
    "Анастасия", "Мария", "Анна", "Виктория", "Екатерина", "Дарья", "Полина", "Елизавета",
    "Ксения", "Алина", "Валерия", "Софья", "Ирина", "Ольга", "Наталья", "Татьяна", "Елена",
    "Светлана", "Юлия", "Вероника",
)
RU_SURNAMES: Final = (
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Борисов", "Яковлев", "Григорьев", "Романов", "Ким", "Пак", "Цой",
    "Шмидт", "Кравченко", "Бондаренко",
)
# Russian patronymics from a father's name: (male form, female form).
RU_PATRONYMICS: Final = {
    "Александр": ("Александрович", "Александровна"), "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Максим": ("Максимович", "Максимовна"), "Артём": ("Артёмович", "Артёмовна"),
    "Иван": ("Иванович", "Ивановна"), "Никита": ("Никитич", "Никитична"),
    "Михаил": ("Михайлович", "Михайловна"), "Даниил": ("Даниилович", "Данииловна"),
    "Егор": ("Егорович", "Егоровна"), "Андрей": ("Андреевич", "Андреевна"),
    "Кирилл": ("Кириллович", "Кирилловна"), "Илья": ("Ильич", "Ильинична"),
    "Алексей": ("Алексеевич", "Алексеевна"), "Сергей": ("Сергеевич", "Сергеевна"),
    "Владимир": ("Владимирович", "Владимировна"), "Роман": ("Романович", "Романовна"),
    "Николай": ("Николаевич", "Николаевна"), "Павел": ("Павлович", "Павловна"),
    "Денис": ("Денисович", "Денисовна"), "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Виктор": ("Викторович", "Викторовна"), "Олег": ("Олегович", "Олеговна"),
    "Игорь": ("Игоревич", "Игоревна"), "Константин": ("Константинович", "Константиновна"),
}
# Street names: (Kazakh, Russian).
STREETS: Final = (
    ("Абай", "Абая"), ("Жамбыл", "Жамбыла"), ("Тәуелсіздік", "Тауелсиздик"),
    ("Достық", "Достык"), ("Бейбітшілік", "Бейбитшилик"), ("Сәтбаев", "Сатпаева"),
    ("Мектеп", "Школьная"), ("Орталық", "Центральная"), ("Жастар", "Молодёжная"),
    ("Бірлік", "Бирлик"), ("Наурыз", "Наурыз"), ("Абылай хан", "Абылай хана"),
    ("Құрманғазы", "Курмангазы"), ("Әуезов", "Ауэзова"), ("Гагарин", "Гагарина"),
)
# fmt: on
# Kazakh letters to Russian (Cyrillic) and to Latin, for names written in the other script.
_KK_TO_RU: Final = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_CYRILLIC_TO_LATIN: Final = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "gh",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ng",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "і": "i",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}


def to_russian_spelling(text: str) -> str:
    """A Kazakh word in the Russian alphabet (``Әбенов`` → ``Абенов``), as documents spell it."""
    return text.translate(_KK_TO_RU)


def to_latin(text: str) -> str:
    """A Cyrillic (Kazakh or Russian) name in plain Latin letters, for English labels."""
    out = []
    for char in text:
        latin = _CYRILLIC_TO_LATIN.get(char.lower(), char)
        out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class PersonName:
    """A composed full name: surname, first name, patronymic."""

    surname: str
    first: str
    patronymic: str

    @property
    def full(self) -> str:
        return f"{self.surname} {self.first} {self.patronymic}".strip()


def pick_one(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    """One of ``options``, uniformly."""
    return options[int(rng.integers(len(options)))]


def gendered_surname(surname: str, sex: str) -> str:
    """The surname in the form for ``sex``: ``Ахметов`` → ``Ахметова``; ``Ким`` stays ``Ким``."""
    if sex == "male":
        return surname
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    return surname


def compose_name(
    rng: np.random.Generator,
    *,
    sex: str,
    kazakh: bool,
    russian_spelling: bool,
    surname: str | None = None,
    father: str | None = None,
    first: str | None = None,
) -> PersonName:
    """A random full name.

    ``kazakh`` chooses Kazakh or Russian first names; Kazakh names get a Kazakh patronymic
    (``-ұлы``/``-қызы``) unless ``russian_spelling``, which writes the whole name as Russian
    documents do (``-ович``/``-овна``). ``surname``, ``father`` (the father's first name) and
    ``first`` tie a child and its parents together; each is drawn at random when not given.
    """
    if kazakh:
        first = first or pick_one(rng, KK_MALE if sex == "male" else KK_FEMALE)
        base = surname or pick_one(rng, KK_SURNAMES)
        dad = father or pick_one(rng, KK_MALE)
        if russian_spelling:
            dad_ru = to_russian_spelling(dad)
            patronymic = dad_ru + ("ович" if sex == "male" else "овна")
            return PersonName(
                gendered_surname(to_russian_spelling(base), sex),
                to_russian_spelling(first),
                patronymic,
            )
        patronymic = dad + ("ұлы" if sex == "male" else "қызы")
        return PersonName(gendered_surname(base, sex), first, patronymic)
    first = first or pick_one(rng, RU_MALE if sex == "male" else RU_FEMALE)
    base = surname or pick_one(rng, RU_SURNAMES)
    dad = father if father in RU_PATRONYMICS else pick_one(rng, tuple(RU_PATRONYMICS))
    male_form, female_form = RU_PATRONYMICS[dad]
    return PersonName(
        gendered_surname(base, sex), first, male_form if sex == "male" else female_form
    )


def compose_phone(rng: np.random.Generator) -> str:
    """A fictional Kazakhstan mobile number, ``+7 70X 555 XX XX`` (never a number to dial)."""
    operator = int(rng.integers(0, 9))
    tail = int(rng.integers(0, 10_000))
    return f"+7 70{operator} 555 {tail // 100:02d} {tail % 100:02d}"


def compose_address(
    rng: np.random.Generator, *, locality_kk: str, locality_ru: str, urban: bool, lang: str
) -> str:
    """A street address in the town or village, in Kazakh or Russian."""
    street_kk, street_ru = STREETS[int(rng.integers(len(STREETS)))]
    house = int(rng.integers(1, 120))
    flat = int(rng.integers(1, 160)) if urban and rng.random() < 0.7 else None
    if lang == "kk":
        kind = "қ." if urban else "ауылы"
        text = f"{locality_kk} {kind}, {street_kk} көшесі, {house}-үй"
        return f"{text}, {flat}-пәтер" if flat else text
    kind = "г." if urban else "с."
    text = f"{kind} {locality_ru}, ул. {street_ru}, д. {house}"
    return f"{text}, кв. {flat}" if flat else text
