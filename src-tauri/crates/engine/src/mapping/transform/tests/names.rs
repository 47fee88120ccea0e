use super::*;
use crate::mapping::transform::NamePart;

fn first(s: &str) -> Value {
    ok(
        Step::SplitName {
            part: NamePart::First,
        },
        text(s),
    )
}

fn last(s: &str) -> Value {
    ok(
        Step::SplitName {
            part: NamePart::Last,
        },
        text(s),
    )
}

#[test]
fn two_words_split_into_first_and_last() {
    assert_eq!(first("Ada Lovelace"), text("Ada"));
    assert_eq!(last("Ada Lovelace"), text("Lovelace"));
}

#[test]
fn extra_whitespace_is_collapsed() {
    assert_eq!(first("   Grace \t  Brewster   Hopper  "), text("Grace"));
    assert_eq!(
        last("   Grace \t  Brewster   Hopper  "),
        text("Brewster Hopper")
    );
}

#[test]
fn one_word_is_a_first_name_and_no_last_name() {
    assert_eq!(first("Cher"), text("Cher"));
    assert_eq!(last("Cher"), Value::Null);
    assert_eq!(first("  Cher  "), text("Cher"));
}

#[test]
fn last_comma_first() {
    assert_eq!(first("Lovelace, Ada"), text("Ada"));
    assert_eq!(last("Lovelace,   Ada  King"), text("Lovelace"));
    assert_eq!(first("Lovelace,   Ada  King"), text("Ada King"));
    assert_eq!(first("García Márquez, Gabriel"), text("Gabriel"));
    assert_eq!(last("García Márquez, Gabriel"), text("García Márquez"));
    assert_eq!(first("Lovelace,"), Value::Null);
    assert_eq!(last("Lovelace,"), text("Lovelace"));
}

#[test]
fn accented_names_keep_every_word() {
    assert_eq!(first("José María García"), text("José"));
    assert_eq!(last("José María García"), text("María García"));
    assert_eq!(last("Ludwig van Beethoven"), text("van Beethoven"));
    assert_eq!(first("Zoë Ångström-Øre"), text("Zoë"));
    assert_eq!(last("Zoë Ångström-Øre"), text("Ångström-Øre"));
}

#[test]
fn east_asian_names_put_the_family_name_first() {
    assert_eq!(first("李 小龙"), text("小龙"));
    assert_eq!(last("李 小龙"), text("李"));
    // Ideographic space between the names.
    assert_eq!(last("山田\u{3000}太郎"), text("山田"));
    assert_eq!(first("山田\u{3000}太郎"), text("太郎"));
    assert_eq!(last("김 민준"), text("김"));
    // Without a space there is no safe split: the whole is the first name.
    assert_eq!(first("李小龙"), text("李小龙"));
    assert_eq!(last("李小龙"), Value::Null);
}

#[test]
fn right_to_left_and_emoji_names_split_on_whitespace() {
    assert_eq!(first("محمد علي"), text("محمد"));
    assert_eq!(last("محمد علي"), text("علي"));
    assert_eq!(first("🦄 Unicorn"), text("🦄"));
}

#[test]
fn blank_and_null_names_are_null() {
    assert_eq!(first(""), Value::Null);
    assert_eq!(last("   "), Value::Null);
    assert_eq!(
        ok(
            Step::SplitName {
                part: NamePart::First
            },
            Value::Null
        ),
        Value::Null
    );
}

#[test]
fn split_name_refuses_a_number() {
    let e = run(
        &[Step::SplitName {
            part: NamePart::Last,
        }],
        num("7"),
    )
    .unwrap_err();
    assert_eq!((e.step, e.code), (0, "unsupported_input"));
    assert_eq!(
        e.message,
        "split_name cannot take number \"7\"; convert it to text first"
    );
}
