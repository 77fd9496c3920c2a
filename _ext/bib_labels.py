"""Author-year labels for the bibliography, the same text as the citations.

The chapters cite with ``bibtex_reference_style: author_year`` ("Maas et
al., 2013"), but sphinxcontrib-bibtex's default bibliography style, alpha,
labels the entries "[MHN13]", so a reader following a citation finds a
different name for it. This registers a pybtex formatting style,
``author_year_label``, that is alpha (same entry format, sorted by author,
year and title) with labels made by the citation's own template: the
authors as the ``author_year`` reference style writes them, a comma, the
year. ``_config.yml`` selects it with ``bibtex_default_style``.

(pybtex styles are plugins looked up by name; sphinxcontrib-bibtex's
documentation registers custom ones with ``pybtex.plugin.register_plugin``.)
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import join
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import year

STYLE = "author_year_label"


class AuthorYearLabelStyle(BaseLabelStyle):
    """ "Maas et al., 2013": what ``{cite:p}`` shows, without the brackets."""

    def format_labels(self, sorted_entries):
        # The person style of the reference style, so both name the authors alike.
        reference = AuthorYearReferenceStyle()
        template = join(sep=reference.author_year_sep)[reference.person.author_or_editor_or_title(full=False), year]
        for entry in sorted_entries:
            yield template.format_data({"entry": entry, "style": reference}).render_as("text")


class AuthorYearStyle(AlphaStyle):
    default_label_style = AuthorYearLabelStyle


def setup(app):
    register_plugin("pybtex.style.formatting", STYLE, AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
