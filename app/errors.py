"""The one family of domain errors, raised by every package and mapped once by the web layer.

``app.web.errors`` answers each class the same way on every page: ``ValidationError`` → 400 with
the messages by field, ``PermissionDenied`` → 403, ``NotFound`` → 404, ``Conflict`` (and
``IllegalTransition``) → 409. A view that can do better (the form again, with each message
beside its field) catches the error itself.
"""
from __future__ import annotations

from collections.abc import Mapping

class Msg(str):
    """A message id (English words) with its parameters, translated by the web layer.

    ``Msg("Rest must be at least %(min)s minutes", min=5)`` is the string of the English words
    with the parameters filled in, so it reads the same wherever a ``str`` is expected (logs,
    the command line, ``str(exc)``); ``id`` and ``params`` let ``app.web.errors.translated``
    look the id up in the catalogue and fill the parameters in afterwards. A ``Msg(...)`` call
    with a literal id is what ``scripts/i18n.py update`` extracts from the domain packages.
    """

    id: str
    params: dict

    def __new__(cls, text: str, /, **params) -> "Msg":
        self = super().__new__(cls, text % params if params else text)
        self.id = text
        self.params = params
        return self

    def __reduce__(self):
        return (_msg, (self.id, self.params))


def _msg(text: str, params: dict) -> Msg:
    return Msg(text, **params)


class Bilingual(str):
    """Words the domain holds in both languages, as a parameter of a :class:`Msg` (a simulator
    field's label from its metadata, a step of the procedure from its label tables).

    The string is the English, so a ``Msg`` still reads as English words; :func:`translate`
    puts ``zh`` in when the interface speaks Chinese. The labels stay where they are declared
    instead of being copied into the catalogue a second time.
    """

    zh: str

    def __new__(cls, en: str, zh: str) -> "Bilingual":
        self = super().__new__(cls, en)
        self.zh = zh
        return self

    def __reduce__(self):
        return (Bilingual, (str(self), self.zh))

    @classmethod
    def joined(cls, items, en_sep: str = ", ", zh_sep: str = "、") -> "Bilingual":
        """``items`` (``Bilingual`` or words the same in both languages), listed in each
        language's way: ``a, b`` and ``a、b``."""
        pairs = [(item, item.zh) if isinstance(item, Bilingual) else (str(item), str(item))
                 for item in items]
        return cls(en_sep.join(en for en, _ in pairs), zh_sep.join(zh for _, zh in pairs))


#: A message: finished words, a :class:`Msg`, or a message id with its parameters
#: (``("…%(n)s…", {"n": 3})``), which the web layer translates.
Message = str | tuple[str, Mapping]


def message_text(message: Message) -> str:
    """The words of a message, untranslated (parameters filled in)."""
    if isinstance(message, tuple):
        text, params = message
        return text % dict(params) if params else text
    return str(message)


def _parts(message) -> tuple[str, dict]:
    """The id and parameters of a message (finished words: themselves, none)."""
    if isinstance(message, Msg):
        return message.id, dict(message.params)
    if isinstance(message, tuple):
        text, params = message
        return text, dict(params or {})
    return str(message), {}


def translate(message, gettext, language: str = "zh") -> str:
    """``message`` in the language of ``gettext`` (a catalogue's lookup of one id): the id is
    looked up, then its parameters filled in; parameters that are ``Msg`` too (a side, a
    label) are translated first, and :class:`Bilingual` ones give the words of ``language``
    (``"en"`` or ``"zh"``, the catalogue's language). Finished words are looked up as they are."""
    if isinstance(message, Bilingual):
        return _translate_param(message, gettext, language)
    text, params = _parts(message)
    params = {key: _translate_param(value, gettext, language) for key, value in params.items()}
    text = gettext(text) if text else text
    return text % params if params else text


def _translate_param(value, gettext, language: str):
    if isinstance(value, Bilingual):
        return str(value) if language.startswith("en") else value.zh
    if isinstance(value, Msg):
        return translate(value, gettext, language)
    if isinstance(value, (list, tuple)):  # several messages, one after the other
        return gettext("; ").join(translate(item, gettext, language) for item in value)
    return value


def message_data(message) -> list:
    """``message`` as JSON-ready ``[id, parameters]``, to store and translate later: a
    :class:`Bilingual` parameter keeps both languages, a ``Msg`` parameter its own pair."""
    text, params = _parts(message)
    return [text, {key: _param_data(value) for key, value in params.items()}]


def _param_data(value):
    if isinstance(value, Bilingual):
        return {"en": str(value), "zh": value.zh}
    if isinstance(value, Msg):
        return {"msg": message_data(value)}
    if isinstance(value, (list, tuple)):
        return [_param_data(item) for item in value]
    return value


def message_from_data(data) -> Msg:
    """The message :func:`message_data` stored (plain parameters read back as they are)."""
    text, params = data
    return Msg(text, **{key: _param_from_data(value) for key, value in (params or {}).items()})


def _param_from_data(value):
    if isinstance(value, dict) and set(value) == {"en", "zh"}:
        return Bilingual(value["en"], value["zh"])
    if isinstance(value, dict) and set(value) == {"msg"}:
        return message_from_data(value["msg"])
    if isinstance(value, list):
        return [_param_from_data(item) for item in value]
    return value


class DomainError(Exception):
    """A refusal of the domain; ``message`` says why in plain words (may be empty)."""

    def __init__(self, message: object = ""):
        self.message = message
        super().__init__(*((message,) if message != "" else ()))


class ValidationError(DomainError, ValueError):
    """Bad input; ``errors`` maps each offending field to a :data:`Message`.

    A bare string is accepted and stored under the key ``"__all__"``. Keys are field names, or
    dotted keys (``"pay.commission_rate"``) when a whole simulator scenario is built. A
    ``ValueError`` too, because the simulator's callers have always caught it as one.
    """

    def __init__(self, errors: Mapping[str, Message] | str):
        if isinstance(errors, str):
            errors = {"__all__": errors}
        self.errors: dict[str, Message] = dict(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "; ".join(f"{key}: {message_text(message)}"
                         for key, message in sorted(self.errors.items()))

    def prefixed(self, prefix: str) -> "ValidationError":
        """The same errors with ``prefix`` put in front of every key."""
        return ValidationError({prefix + key: msg for key, msg in self.errors.items()})


class PermissionDenied(DomainError):
    """The acting user may not perform this action on this resource."""


class NotFound(DomainError, LookupError):
    """No such record, or one the acting user may not know exists."""


class Conflict(DomainError):
    """The record changed since the form was loaded (the version sent is not the stored one),
    or the action does not fit the record's state now."""


class IllegalTransition(Conflict):
    """A step that the procedure (or an item's life cycle) does not allow in the current state,
    or whose guard failed; ``state`` and ``event`` are kept when known."""

    def __init__(self, message: str, *, state: object = None, event: object = None):
        self.state = state
        self.event = event
        super().__init__(message)
