use super::*;

fn phone(region: &str) -> Step {
    Step::Phone {
        default_region: region.into(),
    }
}

#[test]
fn email_is_trimmed_and_lowercased() {
    assert_eq!(
        ok(Step::Email, text("  Ada.Lovelace+CRM@Example.COM \n")),
        text("ada.lovelace+crm@example.com")
    );
    assert_eq!(
        ok(Step::Email, text("o'brien@sub.example.co.uk")),
        text("o'brien@sub.example.co.uk")
    );
}

#[test]
fn email_accepts_international_addresses() {
    assert_eq!(
        ok(Step::Email, text("JOSÉ@Exämple.de")),
        text("josé@exämple.de")
    );
    assert_eq!(
        ok(Step::Email, text("用户@例子.广告")),
        text("用户@例子.广告")
    );
}

#[test]
fn malformed_emails_are_errors_naming_the_value() {
    for bad in [
        "not-an-email",
        "ada@",
        "@example.com",
        "ada@@example.com",
        "ada lovelace@example.com",
        "ada@localhost",
        "Ada <ada@example.com>",
        "ada@[127.0.0.1]",
        "ada@example..com",
        "😀@😀",
    ] {
        let e = run(&[Step::Email], text(bad)).unwrap_err();
        assert_eq!(e.code, "malformed_email", "{bad}");
        assert!(
            e.message.starts_with(&format!(
                "\"{}\" is not an email address",
                bad.to_lowercase()
            )),
            "{}",
            e.message
        );
    }
}

#[test]
fn blank_and_null_emails_are_null() {
    assert_eq!(ok(Step::Email, text("")), Value::Null);
    assert_eq!(ok(Step::Email, text("  \t")), Value::Null);
    assert_eq!(ok(Step::Email, Value::Null), Value::Null);
    assert_eq!(err_code(Step::Email, num("1")), "unsupported_input");
}

#[test]
fn phones_become_e164_in_their_default_region() {
    assert_eq!(
        ok(phone("US"), text("(415) 555-2671")),
        text("+14155552671")
    );
    assert_eq!(ok(phone("us"), text("415.555.2671")), text("+14155552671"));
    assert_eq!(
        ok(phone("GB"), text("020 7946 0018")),
        text("+442079460018")
    );
    assert_eq!(
        ok(phone("FR"), text("01 42 68 53 00")),
        text("+33142685300")
    );
    assert_eq!(ok(phone("DE"), text("030 901820")), text("+4930901820"));
}

#[test]
fn international_phones_ignore_the_default_region() {
    assert_eq!(
        ok(phone("US"), text("+33 1 42 68 53 00")),
        text("+33142685300")
    );
    assert_eq!(
        ok(phone(""), text("+44 20 7946 0018")),
        text("+442079460018")
    );
    assert_eq!(
        ok(phone("FR"), text(" +1-415-555-2671 ")),
        text("+14155552671")
    );
}

#[test]
fn a_foreign_country_code_is_not_cut_by_the_default_regions_national_prefix() {
    // phonenumber 0.3 with a US hint reads `+33 1 42…` as `+33 42…`; the step must not.
    assert_eq!(ok(phone("US"), text("+33142685300")), text("+33142685300"));
    assert_eq!(
        ok(phone("RU"), text("+7 495 123-45-67")),
        text("+74951234567")
    );
    assert_eq!(
        ok(phone("US"), text("+1 415 555 2671")),
        text("+14155552671")
    );
}

#[test]
fn malformed_phones_are_errors() {
    for (region, bad) in [
        ("US", "555-2671"),
        ("US", "hello"),
        ("US", "12"),
        ("FR", "01 42 68 53 00 00 00"),
        ("US", "+999 123"),
        ("US", "☎️☎️☎️"),
    ] {
        let e = run(&[phone(region)], text(bad)).unwrap_err();
        assert_eq!(e.code, "malformed_phone", "{region} {bad}");
        assert!(
            e.message
                .starts_with(&format!("\"{bad}\" is not a phone number")),
            "{}",
            e.message
        );
    }
    let e = run(&[phone("")], text("020 7946 0018")).unwrap_err();
    assert_eq!(e.code, "malformed_phone");
}

#[test]
fn phone_with_an_unknown_region_is_an_error_at_its_step() {
    let e = run(&[Step::Trim, phone("ZZ")], text("415 555 2671")).unwrap_err();
    assert_eq!((e.step, e.code), (1, "invalid_region"));
    assert_eq!(
        err_code(phone("USA"), text("415 555 2671")),
        "invalid_region"
    );
}

#[test]
fn blank_and_null_phones_are_null() {
    assert_eq!(ok(phone("US"), text(" ")), Value::Null);
    assert_eq!(ok(phone("US"), Value::Null), Value::Null);
    assert_eq!(ok(phone("ZZ"), Value::Null), Value::Null);
    assert_eq!(
        err_code(phone("US"), num("4155552671")),
        "unsupported_input"
    );
}
