"""Password rules beyond Django's: a larger list of leaked passwords, the town's own words, zxcvbn.

All checks work offline. The lists come from the `zxcvbn` package (its 30,000 most common leaked
passwords and the name/word lists it scores with), on top of Django's 20,000 common passwords.

- `CommonPasswordValidator`: Django's list plus zxcvbn's password list, compared lower-cased.
- `TownWordsValidator`: refuses a password made (almost) only of words anyone tries first here:
  the town's name and subdomain, its Ortsgemeinden, "Dorfkern", and the person's own name and
  e-mail address ("Betzdorf2026", "dorfkerndorfkern", "AnnaAdmin!").
- `GuessabilityValidator`: zxcvbn's estimate (with those words as extra dictionary) must reach
  `PASSWORD_MIN_SCORE`; a refusal carries zxcvbn's own advice, translated.

Validators receive `user`, which may be unsaved (signup builds one from the form). A form may put
more words on it as `password_context_words` (the town signup: the new town's name and subdomain).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

PLATFORM_WORDS = ("dorfkern",)
# zxcvbn measures at most this many characters; longer passphrases are scored on their start.
ZXCVBN_MAX_LENGTH = 72
# What must remain of a password's letters once the town's and the person's words are taken out.
MIN_OWN_LETTERS = 5
TOWN_WORDS_CACHE_KEY = "passwords:town-words"
TOWN_WORDS_CACHE_SECONDS = 60
_WORD_SPLIT = re.compile(r"[^a-zäöüß]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


@lru_cache(maxsize=1)
def _leaked_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's 20,000 common passwords plus zxcvbn's 30,000 most frequent leaked ones."""

    def validate(self, password: str, user: Any = None) -> None:
        super().validate(password, user)
        if password.lower().strip() in _leaked_passwords():
            raise ValidationError(self.get_error_message(), code="password_too_common")


def _words(texts: Iterable[str]) -> set[str]:
    """Lower-case words of at least three letters in `texts`, and each text without its separators."""
    words: set[str] = set()
    for text in texts:
        parts = [part for part in _WORD_SPLIT.split(str(text or "").lower()) if part]
        words.update(part for part in parts if len(part) >= 3)
        if len(parts) > 1:
            words.add("".join(parts))
    return words


def town_words() -> set[str]:
    """The platform's name and, in a town, its name, subdomain and Ortsgemeinden.

    Cached for a minute (per town: the cache key carries the schema); each check asks twice.
    """
    words = cache.get(TOWN_WORDS_CACHE_KEY)
    if words is None:
        words = sorted(_town_words())
        cache.set(TOWN_WORDS_CACHE_KEY, words, TOWN_WORDS_CACHE_SECONDS)
    return set(words)


def _town_words() -> set[str]:
    texts: list[str] = list(PLATFORM_WORDS)
    tenant = getattr(connection, "tenant", None)
    if connection.schema_name != "public" and tenant is not None:
        from town.models import Ortsgemeinde

        texts += [getattr(tenant, "name", ""), getattr(tenant, "slug", "")]
        domains = getattr(tenant, "domains", None)  # a FakeTenant (schema_context by name) has none
        if domains is not None:
            texts += [str(domain).split(".")[0] for domain in domains.values_list("domain", flat=True)]
        for name, slug in Ortsgemeinde.objects.values_list("name", "slug"):
            texts += [name, slug]
        from core.branding import current_town_name

        texts.append(current_town_name())
    return _words(texts)


def user_words(user: Any) -> set[str]:
    """The person's name and the parts of their e-mail address."""
    if user is None:
        return set()
    email = str(getattr(user, "email", "") or "")
    local, _at, domain = email.partition("@")
    texts = [str(getattr(user, "name", "") or ""), local, domain.split(".")[0]]
    texts += [str(word) for word in getattr(user, "password_context_words", ())]
    return _words(texts)


def _letters(password: str) -> str:
    return "".join(_WORD_SPLIT.split(password.lower()))


def _without(letters: str, words: Iterable[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        letters = letters.replace(word, "")
    return letters


def _own_letters(password: str, words: set[str]) -> int:
    """How many of the password's letters are not part of `words` ("B3tzd0rf" counts as "betzdorf").

    Read twice, as typed and with digits and symbols read as letters (3 → e, 0 → o, @ → a); in the
    second reading the letters that digits stood for never count as the person's own.
    """
    plain = _letters(password)
    leet = _letters(password.translate(_LEET))
    return min(len(_without(plain, words)), len(_without(leet, words)) - (len(leet) - len(plain)))


class TownWordsValidator:
    """Refuses passwords made almost only of the town's, the platform's or the person's own words."""

    def validate(self, password: str, user: Any = None) -> None:
        letters = _letters(password)
        if not letters:
            return  # digits only: NumericPasswordValidator says so
        personal, town = user_words(user), town_words()
        if _own_letters(password, personal) < len(letters) and _own_letters(password, personal | town) \
                < MIN_OWN_LETTERS:
            raise ValidationError(
                _("This password consists mostly of your name or e-mail address. Those are tried first: "
                  "please choose words that have nothing to do with you."),
                code="password_personal",
            )
        if _own_letters(password, town) < MIN_OWN_LETTERS:
            raise ValidationError(
                _("This password consists mostly of the name of the town, a village or “Dorfkern”. Those are "
                  "tried first: please choose words that have nothing to do with the town."),
                code="password_town_words",
            )

    def get_help_text(self) -> str:
        return str(_("Your password must not consist of your name or the name of the town or a village."))


# zxcvbn's advice (zxcvbn.feedback), marked here so the German catalogue carries them.
ZXCVBN_MESSAGES = (
    gettext_noop("Use a few words, avoid common phrases."),
    gettext_noop("No need for symbols, digits, or uppercase letters."),
    gettext_noop("Add another word or two. Uncommon words are better."),
    gettext_noop("Straight rows of keys are easy to guess."),
    gettext_noop("Short keyboard patterns are easy to guess."),
    gettext_noop("Use a longer keyboard pattern with more turns."),
    gettext_noop('Repeats like "aaa" are easy to guess.'),
    gettext_noop('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    gettext_noop("Avoid repeated words and characters."),
    gettext_noop('Sequences like "abc" or "6543" are easy to guess.'),
    gettext_noop("Avoid sequences."),
    gettext_noop("Recent years are easy to guess."),
    gettext_noop("Avoid recent years."),
    gettext_noop("Avoid years that are associated with you."),
    gettext_noop("Dates are often easy to guess."),
    gettext_noop("Avoid dates and years that are associated with you."),
    gettext_noop("This is a top-10 common password."),
    gettext_noop("This is a top-100 common password."),
    gettext_noop("This is a very common password."),
    gettext_noop("This is similar to a commonly used password."),
    gettext_noop("A word by itself is easy to guess."),
    gettext_noop("Names and surnames by themselves are easy to guess."),
    gettext_noop("Common names and surnames are easy to guess."),
    gettext_noop("Capitalization doesn't help very much."),
    gettext_noop("All-uppercase is almost as easy to guess as all-lowercase."),
    gettext_noop("Reversed words aren't much harder to guess."),
    gettext_noop("Predictable substitutions like '@' instead of 'a' don't help very much."),
)


def strength(password: str, *, extra_words: Iterable[str] = ()) -> dict[str, Any]:
    """zxcvbn's score (0–4) and its advice in the current language: {"score", "warning", "suggestions"}."""
    from zxcvbn import feedback, matching, scoring, time_estimates

    candidate = password[:ZXCVBN_MAX_LENGTH]
    # A copy of zxcvbn's dictionaries: zxcvbn() itself stores the user's words in a module global,
    # which two requests in two threads would overwrite for each other.
    dictionaries = dict(matching.RANKED_DICTIONARIES)
    dictionaries["user_inputs"] = matching.build_ranked_dict(sorted(extra_words))
    result = scoring.most_guessable_match_sequence(candidate, matching.omnimatch(candidate, dictionaries))
    score = int(time_estimates.estimate_attack_times(result["guesses"])["score"])
    advice = feedback.get_feedback(score, result["sequence"])
    return {
        "score": score,
        "warning": gettext(advice["warning"]) if advice["warning"] else "",
        "suggestions": [gettext(text) for text in advice["suggestions"]],
    }


class GuessabilityValidator:
    """zxcvbn's estimate must reach PASSWORD_MIN_SCORE (0–4; 3 = "safely unguessable" online)."""

    def validate(self, password: str, user: Any = None) -> None:
        minimum = int(getattr(settings, "PASSWORD_MIN_SCORE", 3))
        result = strength(password, extra_words=town_words() | user_words(user))
        if result["score"] >= minimum:
            return
        advice = " ".join(text for text in [result["warning"], *result["suggestions"]] if text)
        raise ValidationError(
            _("This password is easy to guess. %(advice)s"),
            code="password_guessable",
            params={"advice": advice or gettext("Add another word or two. Uncommon words are better.")},
        )

    def get_help_text(self) -> str:
        return str(password_hint())


def password_hint() -> Any:
    """The short hint under a new-password field."""
    return _("Easy to remember and hard to guess: three or four unrelated words, e.g. “lantern cucumber "
             "cloud bicycle”.")


def new_password_help_text() -> str:
    """Under a new-password field: the minimum length (from the validators' settings) and the hint."""
    lengths = [validator.get_help_text() for validator in password_validation.get_default_password_validators()
               if isinstance(validator, password_validation.MinimumLengthValidator)]
    return " ".join([*lengths, str(password_hint())])
