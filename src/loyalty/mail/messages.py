"""The texts of every message we mail, in Kazakh, Russian and English."""

from __future__ import annotations

from loyalty.core.schemas import DEFAULT_LANGUAGE, LANGUAGES, Language

_TEMPLATES: dict[str, dict[Language, tuple[str, str]]] = {
    "data_request_status": {
        "kk": (
            "Деректер бойынша өтінішіңіз: {status}",
            "Сәлеметсіз бе, {name}!\n\n«{request_kind}» өтінішіңіздің мәртебесі: {status}.\n{note}",
        ),
        "ru": (
            "Ваш запрос о данных: {status}",
            "Здравствуйте, {name}!\n\nСтатус вашего запроса «{request_kind}»: {status}.\n{note}",
        ),
        "en": (
            "Your data request: {status}",
            "Hello {name},\n\nYour {request_kind} request is now {status}.\n{note}",
        ),
    },
    "registration_code": {
        "kk": (
            "Тіркеу коды: {code}",
            "Сәлеметсіз бе, {name}!\n\nТіркеуді аяқтау үшін кодты енгізіңіз: {code}\n"
            "Код {minutes} минут жарамды.\n\nЕгер сіз тіркелмесеңіз, бұл хатты елемеңіз.",
        ),
        "ru": (
            "Код регистрации: {code}",
            "Здравствуйте, {name}!\n\nЧтобы завершить регистрацию, введите код: {code}\n"
            "Код действует {minutes} минут.\n\nЕсли вы не регистрировались, просто проигнорируйте это письмо.",
        ),
        "en": (
            "Your registration code: {code}",
            "Hello {name},\n\nTo finish registering, enter this code: {code}\n"
            "It is valid for {minutes} minutes.\n\nIf you did not try to register, ignore this message.",
        ),
    },
    "registration_code_with_password": {
        "kk": (
            "Тіркеу коды: {code}",
            "Сәлеметсіз бе, {name}!\n\nТіркеуді аяқтау үшін кодты тіркелу кезінде таңдаған құпия сөзіңізбен "
            "бірге енгізіңіз: {code}\nКод {minutes} минут жарамды.\n\n"
            "Бұл пошта үшін жақында екі тіркеу қақтығысқан, сондықтан құпия сөзсіз код жарамайды. "
            "Егер сіз тіркелмесеңіз, бұл кодты енгізбеңіз.",
        ),
        "ru": (
            "Код регистрации: {code}",
            "Здравствуйте, {name}!\n\nЧтобы завершить регистрацию, введите код вместе с паролем, "
            "который вы выбрали при регистрации: {code}\nКод действует {minutes} минут.\n\n"
            "Недавно на этот адрес пришли две регистрации с разными паролями, поэтому без пароля код "
            "не подойдёт. Если вы не регистрировались, не вводите этот код.",
        ),
        "en": (
            "Your registration code: {code}",
            "Hello {name},\n\nTo finish registering, enter this code together with the password you "
            "chose when registering: {code}\nIt is valid for {minutes} minutes.\n\n"
            "Two registrations with different passwords recently collided for this address, so the code "
            "works only with the password. If you did not try to register, do not enter this code.",
        ),
    },
    "registration_contested": {
        "kk": (
            "Тіркеу тоқтатылды",
            "Сәлеметсіз бе, {name}!\n\nБұл пошта үшін әртүрлі құпия сөздермен екі тіркеу келді, "
            "сондықтан екеуі де тоқтатылды және тіркелгі ашылған жоқ. Егер тіркелгіңіз келсе, қайта "
            "тіркеліңіз: келесі {hours} сағат ішінде кодты құпия сөзіңізбен бірге енгізу керек.\n\n"
            "Егер сіз тіркелмесеңіз, сіздің қызметкер нөміріңізді білетін біреу тіркелуге тырысты; "
            "HR-ға хабарлаңыз.",
        ),
        "ru": (
            "Регистрация отменена",
            "Здравствуйте, {name}!\n\nНа этот адрес пришли две регистрации с разными паролями, поэтому "
            "обе отменены и аккаунт не создан. Если вы регистрируетесь, зарегистрируйтесь снова: "
            "в ближайшие {hours} ч код нужно вводить вместе с вашим паролем.\n\n"
            "Если вы не регистрировались, кто-то, кто знает ваш табельный номер, пытался это сделать; "
            "сообщите в отдел кадров.",
        ),
        "en": (
            "Registration cancelled",
            "Hello {name},\n\nTwo registrations with different passwords arrived for this address, so "
            "both were cancelled and no account was created. If you are registering, register again: "
            "for the next {hours} hours the code must be entered together with your password.\n\n"
            "If you did not try to register, someone who knows your employee number did; please tell HR.",
        ),
    },
    "already_registered": {
        "kk": (
            "Сізде тіркелгі бар",
            "Сәлеметсіз бе, {name}!\n\nБұл пошта үшін тіркелгі бұрыннан бар. "
            "Құпия сөзді ұмытсаңыз, оны қалпына келтіріңіз.",
        ),
        "ru": (
            "У вас уже есть аккаунт",
            "Здравствуйте, {name}!\n\nДля этой почты аккаунт уже существует. "
            "Если вы забыли пароль, воспользуйтесь восстановлением пароля.",
        ),
        "en": (
            "You already have an account",
            "Hello {name},\n\nAn account already exists for this address. "
            "If you forgot your password, use password reset.",
        ),
    },
    "password_reset_code": {
        "kk": (
            "Құпия сөзді қалпына келтіру коды: {code}",
            "Сәлеметсіз бе, {name}!\n\nҚұпия сөзді қалпына келтіру коды: {code}\n"
            "Код {minutes} минут жарамды.",
        ),
        "ru": (
            "Код для сброса пароля: {code}",
            "Здравствуйте, {name}!\n\nКод для сброса пароля: {code}\nКод действует {minutes} минут.",
        ),
        "en": (
            "Your password reset code: {code}",
            "Hello {name},\n\nYour password reset code is {code}\nIt is valid for {minutes} minutes.",
        ),
    },
    "sign_in_email_changed": {
        "kk": (
            "loyalty жүйесіне кіру поштасы өзгертілді",
            "Сәлеметсіз бе, {name}!\n\nHR loyalty жүйесіне кіретін поштаңызды өзгертті; бұл мекенжай енді "
            "жарамсыз, ал барлық сеанстарыңыз аяқталды.\n"
            "Егер сіз мұны күтпесеңіз, дереу HR бөліміне хабарласыңыз.",
        ),
        "ru": (
            "Почта для входа в loyalty изменена",
            "Здравствуйте, {name}!\n\nHR изменил почту, с которой вы входите в loyalty; этот адрес больше не "
            "действует, а все ваши сеансы завершены.\n"
            "Если вы этого не ожидали, сразу свяжитесь с отделом кадров.",
        ),
        "en": (
            "Your loyalty sign-in email was changed",
            "Hello {name},\n\nHR changed the email you sign in to loyalty with; this address no longer "
            "works, and all your sessions have been ended.\n"
            "If you did not expect this, contact HR at once.",
        ),
    },
    "invitation": {
        "kk": (
            "loyalty шақыруы",
            "Сәлеметсіз бе, {name}!\n\nСізді loyalty жүйесіне «{role}» ретінде шақырды.\n"
            "Құпия сөзді орнату үшін /auth/password-reset/confirm арқылы кодты енгізіңіз: {code}\n"
            "Код {minutes} минут жарамды.",
        ),
        "ru": (
            "Приглашение в loyalty",
            "Здравствуйте, {name}!\n\nВас пригласили в loyalty с ролью «{role}».\n"
            "Чтобы задать пароль, введите код в /auth/password-reset/confirm: {code}\n"
            "Код действует {minutes} минут.",
        ),
        "en": (
            "Your invitation to loyalty",
            "Hello {name},\n\nYou have been invited to loyalty as {role}.\n"
            "Set your password with this code through /auth/password-reset/confirm: {code}\n"
            "It is valid for {minutes} minutes.",
        ),
    },
    "policy_change": {
        "kk": (
            "Құпиялылық саясаты {effective_on} бастап өзгереді",
            "Сәлеметсіз бе, {name}!\n\nҚұпиялылық саясатының {version} нұсқасы {effective_on} бастап күшіне "
            "енеді.\n\nНе өзгерді: {summary_kk}\n\nМәтінін қазір оқуға болады: /policies/upcoming. Ол күшіне "
            "енгенде оны қабылдау сұралады.",
        ),
        "ru": (
            "Политика конфиденциальности меняется с {effective_on}",
            "Здравствуйте, {name}!\n\nС {effective_on} действует версия {version} политики "
            "конфиденциальности.\n\nЧто изменилось: {summary_ru}\n\nТекст можно прочитать уже сейчас: "
            "/policies/upcoming. Когда она вступит в силу, вас попросят её принять.",
        ),
        "en": (
            "The privacy policy changes on {effective_on}",
            "Hello {name},\n\nVersion {version} of the privacy policy takes effect on {effective_on}.\n\n"
            "What changed: {summary_en}\n\nYou can read it now at /policies/upcoming. Once it takes "
            "effect you will be asked to accept it.",
        ),
    },
    "announcement": {
        "kk": ("{title_kk}", "{body_kk}"),
        "ru": ("{title_ru}", "{body_ru}"),
        "en": ("{title_en}", "{body_en}"),
    },
    "offer_digest": {
        "kk": (
            "Сізге арналған жаңа ұсыныстар: {count}",
            "Сәлеметсіз бе, {name}!\n\nСоңғы шолудан бері сізге арналған {count} жаңа ұсыныс пайда болды, "
            "мысалы: {first_title_kk}.",
        ),
        "ru": (
            "Новые предложения для вас: {count}",
            "Здравствуйте, {name}!\n\nС прошлой подборки для вас появилось новых предложений: {count}, "
            "например: {first_title_ru}.",
        ),
        "en": (
            "New offers for you: {count}",
            "Hello {name},\n\n{count} new offers for you since the last digest, such as {first_title_en}.",
        ),
    },
    "favorite_ending": {
        "kk": (
            "Таңдаулы ұсыныс аяқталуға жақын",
            "Сәлеметсіз бе, {name}!\n\n«{offer_title_kk}» ұсынысы {ends_on} аяқталады.",
        ),
        "ru": (
            "Избранное предложение скоро закончится",
            "Здравствуйте, {name}!\n\nПредложение «{offer_title_ru}» заканчивается {ends_on}.",
        ),
        "en": (
            "A favourite offer ends soon",
            "Hello {name},\n\nThe offer “{offer_title_en}” ends on {ends_on}.",
        ),
    },
    "code_expiring": {
        "kk": (
            "Кодыңыздың мерзімі аяқталуға жақын",
            "Сәлеметсіз бе, {name}!\n\n«{offer_title_kk}» ұсынысы бойынша кодыңыз {expires_at} дейін "
            "жарамды.",
        ),
        "ru": (
            "Срок вашего кода скоро истечёт",
            "Здравствуйте, {name}!\n\nВаш код по предложению «{offer_title_ru}» действует до {expires_at}.",
        ),
        "en": (
            "Your code expires soon",
            "Hello {name},\n\nYour code for “{offer_title_en}” is valid until {expires_at}.",
        ),
    },
    "pool_low": {
        "kk": (
            "Кодтар таусылып барады",
            "Сәлеметсіз бе, {name}!\n\n«{offer_title_kk}» ұсынысының пулында {remaining} код қалды. "
            "Жаңа кодтарды жүктеңіз.",
        ),
        "ru": (
            "Коды заканчиваются",
            "Здравствуйте, {name}!\n\nВ пуле предложения «{offer_title_ru}» осталось кодов: {remaining}. "
            "Загрузите новые коды.",
        ),
        "en": (
            "Codes are running low",
            "Hello {name},\n\nThe pool of “{offer_title_en}” has {remaining} codes left. Upload more.",
        ),
    },
    "offer_expiring": {
        "kk": (
            "Ұсыныстың мерзімі аяқталуға жақын",
            "Сәлеметсіз бе, {name}!\n\n«{offer_title_kk}» ұсынысы {ends_on} аяқталады.",
        ),
        "ru": (
            "Срок предложения скоро закончится",
            "Здравствуйте, {name}!\n\nПредложение «{offer_title_ru}» заканчивается {ends_on}.",
        ),
        "en": (
            "An offer ends soon",
            "Hello {name},\n\nYour offer “{offer_title_en}” ends on {ends_on}.",
        ),
    },
    "request_due_soon": {
        "kk": (
            "Деректер бойынша өтініштің мерзімі жақындады",
            "Сәлеметсіз бе, {name}!\n\n«{request_kind}» өтінішіне {due_on} дейін жауап беру керек.",
        ),
        "ru": (
            "Срок ответа на запрос о данных близко",
            "Здравствуйте, {name}!\n\nНа запрос «{request_kind}» нужно ответить до {due_on}.",
        ),
        "en": (
            "A data request is nearly due",
            "Hello {name},\n\nA {request_kind} request must be answered by {due_on}.",
        ),
    },
    "request_overdue": {
        "kk": (
            "Деректер бойынша өтініштің мерзімі өтті",
            "Сәлеметсіз бе, {name}!\n\n«{request_kind}» өтінішіне {due_on} дейін жауап берілуі керек еді.",
        ),
        "ru": (
            "Срок ответа на запрос о данных прошёл",
            "Здравствуйте, {name}!\n\nНа запрос «{request_kind}» нужно было ответить до {due_on}.",
        ),
        "en": (
            "A data request is overdue",
            "Hello {name},\n\nA {request_kind} request was due by {due_on}.",
        ),
    },
    "new_sign_in": {
        "kk": (
            "loyalty жүйесіне жаңа кіру",
            "Сәлеметсіз бе, {name}!\n\nТіркелгіңізге {at} жаңа құрылғыдан кірді: {client}.\n"
            "Егер бұл сіз болмасаңыз, құпия сөзді өзгертіңіз.",
        ),
        "ru": (
            "Новый вход в loyalty",
            "Здравствуйте, {name}!\n\nВ ваш аккаунт вошли {at} с нового устройства: {client}.\n"
            "Если это были не вы, смените пароль.",
        ),
        "en": (
            "New sign-in to loyalty",
            "Hello {name},\n\nYour account was signed in to at {at} from a new device: {client}.\n"
            "If this was not you, change your password.",
        ),
    },
    "password_changed": {
        "kk": (
            "Құпия сөз өзгертілді",
            "Сәлеметсіз бе, {name}!\n\nloyalty құпия сөзіңіз {at} өзгертілді, барлық сеанстар аяқталды.\n"
            "Егер мұны сіз жасамасаңыз, дереу HR-ға хабарласыңыз.",
        ),
        "ru": (
            "Пароль изменён",
            "Здравствуйте, {name}!\n\nВаш пароль в loyalty изменён {at}, все сеансы завершены.\n"
            "Если это были не вы, сразу свяжитесь с отделом кадров.",
        ),
        "en": (
            "Your password was changed",
            "Hello {name},\n\nYour loyalty password was changed at {at} and all sessions were ended.\n"
            "If this was not you, contact HR at once.",
        ),
    },
}


class _Values(dict[str, object]):
    """A value a template asks for but a stored notification lacks (written before the text changed)
    reads as empty rather than failing the whole inbox."""

    def __missing__(self, key: str) -> object:
        return ""


def known(kind: str) -> bool:
    return kind in _TEMPLATES


def render(kind: str, language: str, values: dict[str, object]) -> tuple[str, str]:
    """``kind``'s subject and body in ``language``, else Russian, else any language it has."""
    texts: dict[str, tuple[str, str]] = {str(lang): text for lang, text in _TEMPLATES[kind].items()}
    for candidate in (language, DEFAULT_LANGUAGE, *LANGUAGES):
        if candidate in texts:
            subject, body = texts[candidate]
            return subject.format_map(_Values(values)), body.format_map(_Values(values))
    raise KeyError(kind)
