//! QuickBooks has no describe call: the fields Switchyard reads and writes are the
//! documented ones of Customer, Invoice and Payment (python-quickbooks' objects and
//! Intuit's reference), nested fields named by their dotted path.

use crate::schema::{FieldSpec, FieldType, ObjectSpec, ObjectSummary};

pub const OBJECTS: &[(&str, &str, bool)] = &[
    ("Customer", "Customers", true),
    ("Invoice", "Invoices", false),
    ("Payment", "Payments", false),
];

pub fn objects() -> Vec<ObjectSummary> {
    OBJECTS
        .iter()
        .map(|(name, label, writable)| ObjectSummary {
            name: (*name).to_owned(),
            label: (*label).to_owned(),
            writable: *writable,
        })
        .collect()
}

fn f(name: &str, label: &str, ty: FieldType) -> FieldSpec {
    FieldSpec::new(name, label, ty)
}

fn read_only(mut spec: FieldSpec) -> FieldSpec {
    spec.createable = false;
    spec.updateable = false;
    spec
}

fn sized(mut spec: FieldSpec, length: u32) -> FieldSpec {
    spec.length = Some(length);
    spec
}

fn common(writable: bool) -> Vec<FieldSpec> {
    let id = FieldSpec {
        unique: true,
        ..read_only(f("Id", "Id", FieldType::Id))
    };
    let mut fields = vec![
        id,
        read_only(f("MetaData.CreateTime", "Created", FieldType::DateTime)),
        read_only(f(
            "MetaData.LastUpdatedTime",
            "Last updated",
            FieldType::DateTime,
        )),
    ];
    if !writable {
        for field in &mut fields {
            field.createable = false;
            field.updateable = false;
        }
    }
    fields
}

fn customer() -> Vec<FieldSpec> {
    let display = FieldSpec {
        unique: true,
        nillable: false,
        ..sized(f("DisplayName", "Display name", FieldType::Text), 500)
    };
    let mut fields = common(true);
    fields.extend([
        display,
        sized(f("Title", "Title", FieldType::Text), 16),
        sized(f("GivenName", "First name", FieldType::Text), 100),
        sized(f("MiddleName", "Middle name", FieldType::Text), 100),
        sized(f("FamilyName", "Last name", FieldType::Text), 100),
        sized(f("Suffix", "Suffix", FieldType::Text), 16),
        sized(f("CompanyName", "Company", FieldType::Text), 100),
        sized(
            f("PrimaryEmailAddr.Address", "Email", FieldType::Email),
            100,
        ),
        sized(
            f("PrimaryPhone.FreeFormNumber", "Phone", FieldType::Phone),
            30,
        ),
        sized(f("Mobile.FreeFormNumber", "Mobile", FieldType::Phone), 30),
        sized(f("WebAddr.URI", "Website", FieldType::Url), 1000),
        sized(f("BillAddr.Line1", "Billing street", FieldType::Text), 500),
        sized(f("BillAddr.City", "Billing city", FieldType::Text), 255),
        sized(
            f(
                "BillAddr.CountrySubDivisionCode",
                "Billing state",
                FieldType::Text,
            ),
            255,
        ),
        sized(
            f(
                "BillAddr.PostalCode",
                "Billing postal code",
                FieldType::Text,
            ),
            30,
        ),
        sized(
            f("BillAddr.Country", "Billing country", FieldType::Text),
            255,
        ),
        sized(f("Notes", "Notes", FieldType::LongText), 2000),
        f("Active", "Active", FieldType::Bool),
        read_only(f("Balance", "Open balance", FieldType::Currency)),
        read_only(f(
            "BalanceWithJobs",
            "Balance with sub-customers",
            FieldType::Currency,
        )),
    ]);
    fields
}

fn invoice() -> Vec<FieldSpec> {
    let mut fields = common(false);
    fields.extend([
        read_only(f("DocNumber", "Invoice number", FieldType::Text)),
        read_only(f("TxnDate", "Date", FieldType::Date)),
        read_only(f("DueDate", "Due date", FieldType::Date)),
        read_only(f("CustomerRef.value", "Customer", FieldType::Reference)),
        read_only(f("CustomerRef.name", "Customer name", FieldType::Text)),
        read_only(f("TotalAmt", "Total", FieldType::Currency)),
        read_only(f("Balance", "Balance due", FieldType::Currency)),
        read_only(f("BillEmail.Address", "Billing email", FieldType::Email)),
    ]);
    fields
}

fn payment() -> Vec<FieldSpec> {
    let mut fields = common(false);
    fields.extend([
        read_only(f("TxnDate", "Date", FieldType::Date)),
        read_only(f("CustomerRef.value", "Customer", FieldType::Reference)),
        read_only(f("CustomerRef.name", "Customer name", FieldType::Text)),
        read_only(f("TotalAmt", "Amount", FieldType::Currency)),
        read_only(f("UnappliedAmt", "Unapplied amount", FieldType::Currency)),
        read_only(f("PaymentRefNum", "Reference number", FieldType::Text)),
    ]);
    fields
}

pub fn spec(object: &str) -> Option<ObjectSpec> {
    let (name, _, writable) = OBJECTS.iter().find(|(n, _, _)| *n == object)?;
    let fields = match *name {
        "Customer" => customer(),
        "Invoice" => invoice(),
        _ => payment(),
    };
    Some(ObjectSpec {
        name: (*name).to_owned(),
        label: (*name).to_owned(),
        id_field: "Id".into(),
        modified_field: "MetaData.LastUpdatedTime".into(),
        writable: *writable,
        fields,
    })
}
