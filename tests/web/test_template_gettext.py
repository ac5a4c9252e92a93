"""Templates' ``_``/``gettext`` (looked up once per catalogue and string) give what Jinja's
newstyle gettext gives, in each language, escaped or not, with and without variables."""
from __future__ import annotations

from flask import render_template_string, session as flask_session
from jinja2.ext import _make_new_gettext
from markupsafe import Markup

from app.web import _request_translations, _translated

TEMPLATE = ('{{ _("Dashboard") }}|{{ _("Log out") }}|{{ gettext("Negotiations") }}|'
            '{{ _("%(n)s people", n=n) }}|{{ _("%(n)s warnings", n="<b>") }}|'
            '{{ _("An unknown 100%% <string>") }}')


def expected(app, n):
    """The same template through Jinja's own newstyle gettext."""
    reference = _make_new_gettext(lambda s: _request_translations().ugettext(s))
    return app.jinja_env.from_string(
        TEMPLATE, globals={"_": reference, "gettext": reference}).render(n=n)


def test_template_gettext_is_jinjas_in_both_languages(app):
    seen = {}
    hits = _translated.cache_info().hits
    for lang in ("zh_CN", "en", "zh_CN"):
        with app.test_request_context("/"):
            flask_session["lang"] = lang
            out = render_template_string(TEMPLATE, n=12)
            assert out == expected(app, 12)
            seen.setdefault(lang, out)
            assert out == seen[lang]  # the cached strings of one language stay that language's
    assert seen["zh_CN"] != seen["en"]
    assert seen["en"].startswith("Dashboard|Log out|Negotiations|12 people|&lt;b&gt; warnings|")
    assert _translated.cache_info().hits >= hits + 4  # the second Chinese page: from cache
    assert seen["zh_CN"].split("|")[0] != "Dashboard"
    # The message itself is markup (as in Jinja); only the variables are escaped.
    assert seen["en"].endswith("An unknown 100% <string>")


def test_template_gettext_without_autoescape(app):
    with app.test_request_context("/"):
        flask_session["lang"] = "en"
        env = app.jinja_env.overlay(autoescape=False)
        out = env.from_string('{{ _("A <raw> 5%% text") }}').render()
        assert out == "A <raw> 5% text" and not isinstance(out, Markup)
