"""The installation's identity: the settings page (organisers only, audited), the checks
on logos and on the colour, and where the identity shows (pages, stylesheet, logos)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from contrat_ville.enums import Role
from contrat_ville.identity import IdentityAction, identity_update, signatory_create
from contrat_ville.logos import SVG_POLICY, check_svg
from contrat_ville.models import AuditLogEntry, PortalIdentity, Signatory
from contrat_ville.selectors import portal_identity
from tests.factories import UserFactory

URL = reverse("identity_edit")


def png_bytes(width=40, height=20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#00695c").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, "JPEG")
    return buffer.getvalue()


CLEAN_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'viewBox="0 0 80 40"><defs><linearGradient id="g"><stop offset="0" stop-color="#00695c"/>'
    b"</linearGradient></defs><style>circle{fill:url(#g)}</style>"
    b'<circle cx="20" cy="20" r="18" fill="url(#g)"/><use xlink:href="#g"/>'
    b'<text x="44" y="26">GC</text></svg>'
)


def svg(body: str) -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{body}</svg>'.encode()


def form_data(**overrides) -> dict:
    data = {
        "name": "Portail du Contrat de Ville",
        "operator": "Grand Chambéry",
        "operator_url": "https://www.example.test/",
        "primary_colour": "#00695c",
    }
    data.update(overrides)
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# -- who may open the page ------------------------------------------------------------------


OTHER_ROLES = [role for role in Role.values if role != Role.ORGANISER]
PAGES = [
    ("identity_edit", []),
    ("identity_signatory_create", []),
    ("identity_signatory_edit", ["pk"]),
    ("identity_signatory_delete", ["pk"]),
]


def _url(name, args, signatory):
    return reverse(name, args=[signatory.pk for _ in args])


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_other_roles_can_neither_open_nor_post_the_identity_pages(client, db, role, name, args):
    signatory = Signatory.objects.create(name="Ville de Test", order=1)
    client.force_login(UserFactory(roles=[role]))
    url = _url(name, args, signatory)

    assert client.get(url).status_code == 403
    assert client.post(url, form_data(name="Piraté")).status_code == 403
    assert not PortalIdentity.objects.exists()
    assert Signatory.objects.get().name == "Ville de Test"
    assert not AuditLogEntry.objects.exists()


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_and_roleless_people_cannot_open_or_post(client, db, no_role_user, name, args):
    signatory = Signatory.objects.create(name="Ville de Test", order=1)
    url = _url(name, args, signatory)

    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    assert Signatory.objects.count() == 1
    assert not PortalIdentity.objects.exists()


def test_the_navigation_offers_the_page_to_organisers_only(organiser_client, client, partner):
    assert URL in organiser_client.get(reverse("home")).content.decode()
    client.force_login(partner)
    assert URL not in client.get(reverse("home")).content.decode()


# -- the colour -----------------------------------------------------------------------------


def test_a_low_contrast_colour_is_refused_with_the_ratio(organiser_client):
    response = organiser_client.post(URL, form_data(primary_colour="#ffcc00"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["primary_colour"][0] == (
        "Le contraste de cette couleur avec le blanc est de 1,5:1 ; il faut au moins 4,5:1 "
        "pour que le texte reste lisible. Choisissez une couleur plus foncée."
    )
    html = response.content.decode()
    assert "1,5:1" in html
    # Nothing typed is lost.
    assert 'value="#ffcc00"' in html
    assert 'value="Portail du Contrat de Ville"' in html
    assert not PortalIdentity.objects.exists()


def test_a_colour_that_is_no_colour_gets_a_message_not_a_500(organiser_client):
    response = organiser_client.post(URL, form_data(primary_colour="vert"))

    assert response.status_code == 200
    assert response.context["form"].errors["primary_colour"] == [
        "Écrivez la couleur sous la forme #1d4e89 : un dièse puis six chiffres ou lettres de a à f."
    ]


def test_a_passing_colour_is_saved_and_the_stylesheet_serves_it(organiser_client, client):
    response = organiser_client.post(URL, form_data(primary_colour="#00695C"))
    assert response.status_code == 302

    assert PortalIdentity.objects.get().primary_colour == "#00695c"
    stylesheet_url = portal_identity().stylesheet_url
    assert stylesheet_url.startswith(reverse("identity_stylesheet") + "?v=")
    page = client.get(reverse("home")).content.decode()
    assert f'href="{stylesheet_url.replace("&", "&amp;")}"' in page
    css = client.get(stylesheet_url)
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css.content.decode() == (
        ":root{--color-primary:#00695c;--color-primary-strong:#00443c;"
        "--color-primary-soft:#e6f0ef;--color-on-primary:#ffffff;}\n"
    )
    # A stale version is served too, but not kept a year.
    assert client.get(reverse("identity_stylesheet") + "?v=old")["Cache-Control"] == (
        "public, max-age=300"
    )


def test_the_default_colour_needs_no_stylesheet(db):
    assert portal_identity().stylesheet_url == ""


# -- the identity on every page -------------------------------------------------------------


def test_name_operator_logo_and_signatories_show_in_header_and_footer(organiser, client, media):
    identity_update(
        by=organiser,
        data={
            **form_data(name="Portail de Testville", operator="Agglo de Testville"),
            "logo": SimpleUploadedFile("logo.png", png_bytes(), "image/png"),
        },
    )
    signatory_create(
        by=organiser,
        data={
            "name": "Préfecture imaginaire",
            "url": "https://prefecture.example.test/",
            "order": 1,
        },
    )
    html = client.get(reverse("home")).content.decode()

    identity = portal_identity()
    header, footer = html.split("</header>")[0], html.split("<footer")[1]
    assert "Portail de Testville" in header
    assert "Agglo de Testville" in header
    assert identity.logo_url.startswith(reverse("identity_logo") + "?v=")
    assert f'src="{identity.logo_url}"' in header
    assert "Agglo de Testville" in footer
    assert "Préfecture imaginaire" in footer
    assert 'href="https://prefecture.example.test/"' in footer
    assert "· Portail de Testville</title>" in html


def test_the_identity_costs_one_query_signatories_included(organiser, django_assert_num_queries):
    for order in range(3):
        signatory_create(by=organiser, data={"name": f"Ville {order}", "url": "", "order": order})
    with django_assert_num_queries(1):
        identity = portal_identity()
    assert [s.name for s in identity.signatories] == ["Ville 0", "Ville 1", "Ville 2"]


def test_a_change_is_seen_on_the_next_page(organiser_client, django_capture_on_commit_callbacks):
    visitor = Client()
    visitor.get(reverse("home"))  # the old identity is cached
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(URL, form_data(name="Nouveau nom du portail"))

    assert "Nouveau nom du portail" in visitor.get(reverse("home")).content.decode()


def test_a_second_identity_row_is_refused_by_the_database(db):
    from django.db import IntegrityError, transaction

    PortalIdentity.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalIdentity.objects.create(id=2)


# -- logos ----------------------------------------------------------------------------------


def test_a_png_logo_is_accepted_stored_by_its_content_and_served(organiser_client, client, media):
    upload = SimpleUploadedFile("logo.pdf", png_bytes(), "application/pdf")
    response = organiser_client.post(URL, {**form_data(), "logo": upload})

    assert response.status_code == 302
    identity = PortalIdentity.objects.get()
    assert identity.logo.name.endswith(".png")
    served = client.get(portal_identity().logo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(served.streaming_content if served.streaming else [served.content]) == (
        png_bytes()
    )


def test_a_clean_svg_logo_is_served_with_its_own_policy(organiser_client, client, media):
    upload = SimpleUploadedFile("logo.svg", CLEAN_SVG, "image/svg+xml")
    assert organiser_client.post(URL, {**form_data(), "logo": upload}).status_code == 302

    served = client.get(portal_identity().logo_url)
    assert served["Content-Type"] == "image/svg+xml"
    assert served["Content-Security-Policy"] == SVG_POLICY
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served.content == CLEAN_SVG


def test_the_logo_can_be_removed(
    organiser_client, organiser, media, django_capture_on_commit_callbacks
):
    identity_update(
        by=organiser,
        data={**form_data(), "logo": SimpleUploadedFile("l.png", png_bytes(), "image/png")},
    )
    stored = PortalIdentity.objects.get().logo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(URL, {**form_data(), "logo-clear": "on"})

    assert response.status_code == 302
    assert not PortalIdentity.objects.get().logo
    assert portal_identity().logo_url == ""
    assert not (media / stored).exists()
    assert Client().get(reverse("identity_logo")).status_code == 404


BAD_LOGOS = [
    (
        "script.svg",
        svg("<script>alert(1)</script>"),
        "Ce fichier SVG contient un script (élément <script>), refusé par sécurité.",
    ),
    (
        "onload.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "Ce fichier SVG contient un attribut d'événement (onload), qui peut lancer un script : "
        "refusé par sécurité.",
    ),
    (
        "external.svg",
        svg('<image href="https://tracker.example.test/pixel.png" width="1" height="1"/>'),
        "Ce fichier SVG renvoie vers une ressource extérieure "
        "(https://tracker.example.test/pixel.png) : seules les références internes (« #… ») "
        "sont acceptées.",
    ),
    (
        "xlink.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        "Ce fichier SVG renvoie vers une ressource extérieure (javascript:alert(1)) : seules les "
        "références internes (« #… ») sont acceptées.",
    ),
    (
        "foreign.svg",
        svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
        "Ce fichier SVG contient un élément <foreignObject> (du contenu HTML intégré), refusé "
        "par sécurité.",
    ),
    (
        "import.svg",
        svg("<style>@import url(https://evil.example.test/x.css);</style>"),
        "Ce fichier SVG importe une feuille de style extérieure (@import), refusé par sécurité.",
    ),
    (
        "url.svg",
        svg('<rect width="1" height="1" style="fill:url(https://evil.example.test/#p)"/>'),
        "Ce fichier SVG renvoie vers une ressource extérieure (https://evil.example.test/#p) : "
        "seules les références internes (« #… ») sont acceptées.",
    ),
    (
        "entities.svg",
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
        "Ce fichier SVG déclare un DOCTYPE ou des entités, refusés par sécurité : enregistrez-le "
        "sans (option « SVG simple » ou « SVG optimisé » de votre logiciel).",
    ),
    (
        "fake.png",
        b"GIF89a this is not a png at all",
        "Le logo doit être une image PNG ou SVG, et ce fichier n'en est pas une.",
    ),
    (
        "html.png",
        b"<html><body>not an image</body></html>",
        "Ce fichier n'est pas une image SVG (son premier élément est « html »).",
    ),
    (
        "photo.png",
        jpeg_bytes(),
        "Le logo doit être une image PNG ou SVG ; ce fichier est une image JPEG : "
        "enregistrez-le en PNG.",
    ),
    (
        "huge.png",
        png_bytes(2400, 10),
        "Le logo mesure 2400 sur 10 pixels ; 2 000 pixels au plus.",
    ),
    (
        "heavy.svg",
        svg("<!--" + "x" * (201 * 1024) + "-->"),  # a little over 201 KB: said as 202
        "Le logo pèse 202 Ko ; la limite est de 200 Ko.",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_LOGOS, ids=[b[0] for b in BAD_LOGOS])
def test_bad_logos_are_refused_saying_which_rule_they_broke(
    organiser_client, media, name, content, message
):
    upload = SimpleUploadedFile(name, content, "image/png")
    response = organiser_client.post(URL, {**form_data(name="Gardé tel quel"), "logo": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [message]
    assert 'value="Gardé tel quel"' in response.content.decode()
    assert not PortalIdentity.objects.exists()
    assert list(media.iterdir()) == []


def test_a_stored_svg_that_breaks_a_rule_is_not_served(client, db, media):
    # Stored before a rule existed, or put there by hand: never served.
    identity = PortalIdentity.objects.create()
    identity.logo.save("x.svg", io.BytesIO(svg("<script>alert(1)</script>")), save=True)

    assert client.get(reverse("identity_logo")).status_code == 404


def test_the_svg_check_accepts_local_references_only():
    check_svg(CLEAN_SVG)  # no exception


# -- signatories ----------------------------------------------------------------------------


def test_signatories_are_added_edited_reordered_and_removed(
    organiser_client, media, django_capture_on_commit_callbacks
):
    client = Client()
    response = organiser_client.post(
        reverse("identity_signatory_create"),
        {
            "name": "Ville imaginaire",
            "url": "",
            "order": "2",
            "logo": SimpleUploadedFile("v.svg", CLEAN_SVG, "image/svg+xml"),
        },
    )
    assert response.status_code == 302
    organiser_client.post(
        reverse("identity_signatory_create"), {"name": "Caisse imaginaire", "url": "", "order": "1"}
    )
    assert [s.name for s in portal_identity().signatories] == [
        "Caisse imaginaire",
        "Ville imaginaire",
    ]

    ville = Signatory.objects.get(name="Ville imaginaire")
    organiser_client.post(
        reverse("identity_signatory_edit", args=[ville.pk]),
        {"name": "Ville imaginaire", "url": "https://ville.example.test/", "order": "0"},
    )
    shown = portal_identity().signatories
    assert [s.name for s in shown] == ["Ville imaginaire", "Caisse imaginaire"]
    assert shown[0].url == "https://ville.example.test/"
    assert client.get(shown[0].logo_url)["Content-Type"] == "image/svg+xml"
    assert shown[1].logo_url == ""

    assert (
        organiser_client.get(reverse("identity_signatory_delete", args=[ville.pk])).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(reverse("identity_signatory_delete", args=[ville.pk]))
    assert [s.name for s in portal_identity().signatories] == ["Caisse imaginaire"]
    assert list(media.rglob("*.svg")) == []

    actions = list(AuditLogEntry.objects.order_by("pk").values_list("action", "target_label"))
    assert actions == [
        (IdentityAction.SIGNATORY_ADDED, "Ville imaginaire"),
        (IdentityAction.SIGNATORY_ADDED, "Caisse imaginaire"),
        (IdentityAction.SIGNATORY_UPDATED, "Ville imaginaire"),
        (IdentityAction.SIGNATORY_REMOVED, "Ville imaginaire"),
    ]


def test_a_signatory_with_a_bad_logo_is_refused(organiser_client, media):
    response = organiser_client.post(
        reverse("identity_signatory_create"),
        {
            "name": "Ville imaginaire",
            "order": "1",
            "logo": SimpleUploadedFile("v.svg", svg('<rect onclick="x()"/>'), "image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert "attribut d'événement (onclick)" in response.context["form"].errors["logo"][0]
    assert not Signatory.objects.exists()


def test_an_unknown_signatory_is_a_404(organiser_client, client, db):
    assert organiser_client.get(reverse("identity_signatory_edit", args=[99])).status_code == 404
    assert client.get(reverse("identity_signatory_logo", args=[99])).status_code == 404


# -- the journal ----------------------------------------------------------------------------


def test_every_change_is_in_the_journal_in_words(organiser_client, organiser):
    organiser.first_name, organiser.last_name = "Odile", "Organisatrice"
    organiser.save()
    organiser_client.post(URL, form_data())
    organiser_client.post(URL, form_data(name="Autre nom", primary_colour="#1b5e20"))

    entries = AuditLogEntry.objects.filter(action=IdentityAction.IDENTITY_UPDATED).order_by("pk")
    assert entries.count() == 2
    assert entries[1].actor == organiser
    assert entries[1].data == {
        "changes": {
            "name": ["Portail du Contrat de Ville", "Autre nom"],
            "primary_colour": ["#00695c", "#1b5e20"],
        }
    }
    journal = organiser_client.get(reverse("audit_log")).content.decode()
    assert (
        "Odile Organisatrice a modifié l&#x27;identité du portail : nom du portail et " in journal
    )
    assert "couleur principale" in journal
    assert PortalIdentity.objects.get().updated_by == organiser


def test_an_unchanged_form_records_nothing(organiser_client):
    organiser_client.post(URL, form_data())
    organiser_client.post(URL, form_data())

    assert AuditLogEntry.objects.filter(action=IdentityAction.IDENTITY_UPDATED).count() == 1


# -- e-mails --------------------------------------------------------------------------------


def test_account_emails_are_signed_with_the_portal_and_its_operator(
    client, organiser, django_capture_on_commit_callbacks
):
    from django.core import mail

    identity_update(by=organiser, data=form_data(name="Portail de Testville"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": organiser.email})

    body = mail.outbox[0].body
    assert "L'équipe du portail Portail de Testville\n" in body
    assert "Grand Chambéry · https://www.example.test/\n" in body
