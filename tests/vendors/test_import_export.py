import pytest

from portal.models import AccessEvent
from tests.factories import AgreementFactory, UserFactory, VendorFactory
from tests.import_helpers import (
    XLSX,
    confirm,
    csv_file,
    export,
    preview,
    read_xlsx,
    row_errors,
    xlsx_file,
)
from vendors.models import Agreement, Vendor
from vendors.resources import VendorResource

pytestmark = pytest.mark.django_db

VENDORS = "/admin/vendors/vendor/"
AGREEMENTS = "/admin/vendors/agreement/"
HEADER = "id,name,service,handles_phi,phi_handling,notes\r\n"


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="ada", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_it_previews_an_import_without_writing_anything(admin_client):
    upload = csv_file(HEADER + ",Sentry,Error tracking,1,Stack traces,\r\n")

    response = preview(admin_client, VENDORS, upload)

    assert response.status_code == 200
    assert "confirm_form" in response.context
    assert [row.import_type for row in response.context["result"].rows] == ["new"]
    assert Vendor.objects.count() == 0
    assert Vendor.history.count() == 0


def test_it_writes_the_rows_with_history_after_confirming(admin_client):
    upload = csv_file(HEADER + ",Sentry,Error tracking,1,Stack traces,\r\n")
    response = preview(admin_client, VENDORS, upload)

    response = confirm(admin_client, VENDORS, response)

    assert response.status_code == 302
    vendor = Vendor.objects.get()
    assert (vendor.name, vendor.slug, vendor.service) == (
        "Sentry",
        "sentry",
        "Error tracking",
    )
    history = vendor.history.get()
    assert history.history_user == admin_client.user
    assert history.history_change_reason == "Imported from rows.csv"


def test_it_imports_nothing_when_any_row_is_bad_and_names_the_rows(admin_client):
    upload = csv_file(
        HEADER
        + ",Sentry,Error tracking,1,,\r\n"
        + ",,No name,1,,\r\n"
        + ",Zoom,Video,maybe,,\r\n"
    )

    response = preview(admin_client, VENDORS, upload)

    assert "confirm_form" not in response.context
    errors = dict(row_errors(response))
    assert sorted(errors) == [2, 3]
    assert errors[2] == {"name": ["This field cannot be blank."]}
    assert errors[3] == {"handles_phi": ["“maybe” is not yes or no."]}
    assert Vendor.objects.count() == 0


@pytest.mark.parametrize("name", ["sentry", "  Sentry  ", "SENTRY"])
def test_it_reports_a_name_differing_only_in_case_or_spaces_as_a_row_error(
    admin_client, name
):
    VendorFactory(name="Sentry")
    upload = csv_file(HEADER + f",{name},Error tracking,1,,\r\n")

    response = preview(admin_client, VENDORS, upload)

    assert response.status_code == 200
    assert row_errors(response) == [
        (
            1,
            {
                "name": [
                    "A vendor named “Sentry” already exists; names may not differ "
                    "only in case or spaces."
                ]
            },
        )
    ]
    assert Vendor.objects.count() == 1


def test_it_reports_two_rows_of_the_same_vendor_in_one_file(admin_client):
    upload = csv_file(HEADER + ",Sentry,a,1,,\r\n,sentry ,b,1,,\r\n")

    response = preview(admin_client, VENDORS, upload)

    assert [number for number, _ in row_errors(response)] == [2]
    assert Vendor.objects.count() == 0


def test_it_reads_a_file_with_a_byte_order_mark(admin_client):
    upload = csv_file(HEADER + ",Clínica São José,Labs,1,,\r\n", "utf-8-sig")

    response = confirm(admin_client, VENDORS, preview(admin_client, VENDORS, upload))

    assert response.status_code == 302
    assert list(Vendor.objects.values_list("name", flat=True)) == ["Clínica São José"]


def test_it_reads_a_windows_1252_file(admin_client):
    upload = csv_file(HEADER + ",Clínica São José,Labs – “PHI”,1,,\r\n", "cp1252")

    response = confirm(admin_client, VENDORS, preview(admin_client, VENDORS, upload))

    assert response.status_code == 302
    vendor = Vendor.objects.get()
    assert (vendor.name, vendor.service) == ("Clínica São José", "Labs – “PHI”")


def test_it_imports_an_xlsx_file(admin_client):
    upload = xlsx_file(
        [
            ["id", "name", "service", "handles_phi", "phi_handling", "notes"],
            [None, "Twilio", "SMS", True, "Phone numbers", None],
        ]
    )

    response = preview(admin_client, VENDORS, upload, XLSX)
    response = confirm(admin_client, VENDORS, response)

    assert response.status_code == 302
    vendor = Vendor.objects.get()
    assert (vendor.name, vendor.handles_phi) == ("Twilio", True)


def test_it_neutralises_formulas_in_exported_csv(admin_client):
    VendorFactory(name='=HYPERLINK("http://x")', service="+1 555", notes="-5")
    VendorFactory(name="@SUM(A1)", service="-cmd|calc", notes="plain")

    response = export(admin_client, VENDORS)

    text = response.content.decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"")' in text
    assert ",'+1 555," in text
    assert ",-5\r\n" in text
    assert "'@SUM(A1),'-cmd|calc," in text


def test_it_writes_formulas_as_text_in_exported_xlsx(admin_client):
    VendorFactory(name="=1+1", service="Hosting")

    response = export(admin_client, VENDORS, XLSX)

    rows = read_xlsx(response.content)
    assert rows[1][1] == "'=1+1"


def test_it_records_an_export_in_the_access_log(admin_client):
    VendorFactory()

    export(admin_client, VENDORS)

    event = AccessEvent.objects.get(kind="export")
    assert (event.kind, event.user, event.detail) == (
        "export",
        admin_client.user,
        "vendors as CSV from the admin",
    )


def test_it_round_trips_an_exported_csv_without_changes(admin_client):
    VendorFactory(name="=Evil", service="Hosting")
    exported = export(admin_client, VENDORS).content

    response = preview(admin_client, VENDORS, csv_file(exported.decode("utf-8-sig")))

    assert [row.import_type for row in response.context["result"].rows] == ["skip"]


def test_it_imports_agreements_naming_their_vendor_and_owner(admin_client):
    vendor = VendorFactory(name="Sentry")
    UserFactory(username="lena")
    upload = csv_file(
        "id,vendor,kind,status,owner,notes\r\n,sentry ,baa,not_started,lena,Via DPO\r\n"
    )

    response = confirm(
        admin_client, AGREEMENTS, preview(admin_client, AGREEMENTS, upload)
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.vendor, agreement.owner.username, agreement.notes) == (
        vendor,
        "lena",
        "Via DPO",
    )
    assert agreement.history.get().history_change_reason == "Imported from rows.csv"


def test_it_refuses_lifecycle_changes_in_an_agreement_import(admin_client):
    agreement = AgreementFactory(vendor__name="Sentry")
    upload = csv_file(
        f"id,vendor,kind,status,signed_on\r\n{agreement.pk},Sentry,baa,signed,2026-01-05\r\n"
    )

    response = preview(admin_client, AGREEMENTS, upload)

    assert row_errors(response) == [
        (
            1,
            {
                "status": [
                    "The status changes only through the agreement's lifecycle on "
                    "the vendor page."
                ],
                "signed_on": [
                    "The signed on changes only through the agreement's lifecycle "
                    "on the vendor page."
                ],
            },
        )
    ]
    agreement.refresh_from_db()
    assert agreement.status == "not_started"


def test_it_reports_an_unknown_vendor_and_a_bad_status_by_row(admin_client):
    AgreementFactory(vendor__name="Sentry")
    upload = csv_file(
        "id,vendor,kind,status\r\n,Nobody,baa,not_started\r\n,Sentry,dpa,lost\r\n"
    )

    response = preview(admin_client, AGREEMENTS, upload)

    errors = dict(row_errors(response))
    assert errors[1] == {"vendor": ["No vendor named “Nobody”."]}
    assert errors[2] == {
        "status": ["Value 'lost' is not a valid choice."],
    }
    assert Agreement.objects.count() == 1


def test_it_reports_the_database_constraint_as_a_row_error_if_a_check_is_missed(
    admin_client, monkeypatch
):
    VendorFactory(name="Sentry")
    # Skip the resource's own name check: the unique constraint still holds.
    monkeypatch.setattr(
        VendorResource,
        "validate_instance",
        lambda self, instance, errors=None, **kwargs: None,
    )
    upload = csv_file(HEADER + ",SENTRY,Error tracking,1,,\r\n")

    response = preview(admin_client, VENDORS, upload)

    assert response.status_code == 200
    [(number, messages)] = row_errors(response)
    assert number == 1
    assert "vendor_name_unique_ignoring_case" in messages[0]
    assert "confirm_form" not in response.context
    assert Vendor.objects.count() == 1


def test_it_shows_the_row_number_of_each_bad_row_on_the_preview_page(admin_client):
    upload = csv_file(HEADER + ",Sentry,a,1,,\r\n,,b,1,,\r\n")

    response = preview(admin_client, VENDORS, upload)

    content = response.content.decode()
    assert "This field cannot be blank." in content
    assert "<td>2 </td>" in content.replace("\n", "")


def base_errors(response):
    return [str(error.error) for error in response.context["result"].base_errors]


@pytest.mark.parametrize(
    "upload, unknown",
    [
        (csv_file("id,name,servce\r\n,Sentry,Error tracking\r\n"), "“servce”"),
        (csv_file("foo,bar\r\n1,2\r\n"), "“foo”, “bar”"),
    ],
)
def test_it_refuses_a_file_with_unknown_columns_and_names_them(
    admin_client, upload, unknown
):
    response = preview(admin_client, VENDORS, upload)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert base_errors(response) == [
        f"Unknown columns: {unknown}. The columns are id, name, service, "
        "handles_phi, phi_handling, notes. Nothing was imported."
    ]
    assert Vendor.objects.count() == 0
    assert Vendor.history.count() == 0


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "NaN"])
def test_it_reports_an_id_that_is_not_a_whole_number(admin_client, bad_id):
    vendor = VendorFactory(name="Sentry", service="Error tracking")
    upload = csv_file(HEADER + f"{bad_id},Sentry,Logs,1,,\r\n")

    response = preview(admin_client, VENDORS, upload)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert row_errors(response) == [(1, [f"“{bad_id}” is not a whole number."])]
    vendor.refresh_from_db()
    assert vendor.service == "Error tracking"
    assert vendor.history.count() == 1
