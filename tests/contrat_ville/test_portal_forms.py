"""The error summary and the title's prefix find every bound form and formset with errors
in the context by themselves, in the order of the fields, each error linked to its input."""

from html.parser import HTMLParser

from django import forms
from django.template import Context, Template

TEMPLATE = Template(
    "{% load portal_forms %}<title>{% error_title_prefix %}Page</title>{% error_summary %}"
)


class PersonForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=10)
    email = forms.EmailField(label="Adresse e-mail", max_length=100)
    consent = forms.ChoiceField(
        label="Droit à l'image", choices=[("y", "Oui"), ("n", "Non")], widget=forms.RadioSelect
    )
    colleges = forms.MultipleChoiceField(
        label="Collèges", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first_name") == "Robot":
            raise forms.ValidationError("Cette inscription est refusée.")
        return cleaned


class RowForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=10)


RowFormSet = forms.formset_factory(RowForm, extra=0, max_num=2, validate_max=True)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.items, self.summary, self._in_li = [], [], {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-error-summary" in attrs:
            self.summary = attrs
        if tag == "a":
            self.links.append(attrs["href"])
        if tag == "li":
            self._in_li = True
            self.items.append("")

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_li = False

    def handle_data(self, data):
        if self._in_li:
            self.items[-1] += data


def render(**context) -> tuple[str, Links]:
    html = TEMPLATE.render(Context(context))
    parser = Links()
    parser.feed(html)
    return html, parser


def test_no_form_means_no_summary_and_no_prefix():
    html, _parser = render()
    assert html == "<title>Page</title>"


def test_an_unbound_or_valid_form_shows_nothing():
    valid = PersonForm({"first_name": "Ana", "email": "a@b.fr", "consent": "y", "colleges": ["a"]})
    html, _parser = render(form=PersonForm(), other=valid)
    assert html == "<title>Page</title>"


def test_each_field_error_links_to_its_input_in_the_order_of_the_fields():
    form = PersonForm({"first_name": "Beaucoup trop long", "email": "pas-une-adresse"})
    html, parser = render(form=form)
    assert html.startswith("<title>Erreur : Page</title>")
    assert parser.summary["role"] == "alert"
    assert parser.summary["tabindex"] == "-1"
    # A group of radios or checkboxes: its first option, the group has no element of its id.
    assert parser.links == ["#id_first_name", "#id_email", "#id_consent_0", "#id_colleges_0"]
    assert parser.items[0] == (
        "Prénom\xa0: Assurez-vous que cette valeur comporte au plus 10 caractères "
        "(actuellement 18)."
    )
    assert "Il y a 4 erreurs dans le formulaire" in html


def test_a_single_error_is_said_in_the_singular():
    form = PersonForm({"first_name": "Ana", "email": "a@b.fr", "consent": "y"})
    html, parser = render(form=form)
    assert "Il y a 1 erreur dans le formulaire" in html
    assert parser.links == ["#id_colleges_0"]


def test_an_error_about_the_whole_form_is_listed_without_a_link():
    form = PersonForm({"first_name": "Robot", "email": "a@b.fr", "consent": "y", "colleges": ["a"]})
    _html, parser = render(form=form)
    assert parser.links == []
    assert parser.items == ["Cette inscription est refusée."]


def test_a_formset_lists_its_rows_errors_and_its_own_once():
    data = {
        "form-TOTAL_FORMS": "3",
        # Initial rows: an empty one is an error, not a row left blank.
        "form-INITIAL_FORMS": "3",
        "form-0-name": "",
        "form-1-name": "Ana",
        "form-2-name": "Léo",
    }
    formset = RowFormSet(data)
    # The page also holds one of its forms on its own: counted once.
    html, parser = render(formset=formset, first=formset.forms[0])
    assert parser.links == ["#id_form-0-name"]
    assert parser.items[0] == "Veuillez soumettre au plus 2 formulaires."
    assert parser.items[1] == "Nom (ligne 1)\xa0: Ce champ est obligatoire."
    assert "Il y a 2 erreurs" in html


def test_a_formset_without_its_management_form_is_reported():
    formset = RowFormSet({})
    html, parser = render(formset=formset)
    assert html.startswith("<title>Erreur : ")
    assert len(parser.items) == 1
    assert "ManagementForm" in parser.items[0] or "formulaire de gestion" in parser.items[0]
