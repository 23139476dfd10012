use super::*;

/// 2026-12-06T10:00:00Z.
const AT: i64 = 1_765_015_200_000;

fn delta() -> Delta {
    Delta {
        messages: 1,
        prompt_tokens: 10,
        completion_tokens: 20,
        ..Delta::default()
    }
}

fn parts(update: &UpdateBuilder) -> (String, String) {
    (
        update.get_update_expression().clone().unwrap_or_default(),
        update
            .get_condition_expression()
            .clone()
            .unwrap_or_default(),
    )
}

fn number(update: &UpdateBuilder, name: &str) -> Option<String> {
    let values = update.get_expression_attribute_values().clone()?;
    values.get(name)?.as_n().ok().cloned()
}

#[test]
fn a_message_on_the_meters_own_day_adds_to_all_three_periods() {
    let base = Base::Existing {
        same_day: true,
        same_month: true,
    };
    let update = meter_update(&user_gains(&delta()), AT, &base).unwrap();
    let (expression, condition) = parts(&update);
    assert_eq!(
        expression,
        "SET #day = :today, #month = :this_month ADD #messages :messages, \
         #day_messages :day_messages, #month_messages :month_messages, \
         #prompt_tokens :prompt_tokens, #day_prompt_tokens :day_prompt_tokens, \
         #month_prompt_tokens :month_prompt_tokens, #completion_tokens :completion_tokens, \
         #day_completion_tokens :day_completion_tokens, \
         #month_completion_tokens :month_completion_tokens"
    );
    assert_eq!(
        condition,
        "attribute_exists(pk) AND #day = :today AND #month = :this_month"
    );
}

#[test]
fn the_first_message_of_a_day_starts_the_day_again_and_of_a_month_the_month() {
    let base = Base::Existing {
        same_day: false,
        same_month: true,
    };
    let update = meter_update(&user_gains(&delta()), AT, &base).unwrap();
    let (expression, condition) = parts(&update);
    // Every day field is set, a zero one too: yesterday's cost must not linger.
    assert!(
        expression.contains("#day_cost_micros = :day_cost_micros"),
        "{expression}"
    );
    assert!(
        expression.contains("#day_messages = :day_messages"),
        "{expression}"
    );
    assert!(
        expression.contains("ADD #messages :messages"),
        "{expression}"
    );
    assert!(
        expression.contains("#month_messages :month_messages"),
        "{expression}"
    );
    assert!(!expression.contains("#month_cost_micros"), "{expression}");
    assert_eq!(number(&update, ":day_cost_micros").as_deref(), Some("0"));
    assert_eq!(
        condition,
        "attribute_exists(pk) AND #day < :today AND #month = :this_month"
    );
    let new_month = Base::Existing {
        same_day: false,
        same_month: false,
    };
    let (expression, condition) =
        parts(&meter_update(&user_gains(&delta()), AT, &new_month).unwrap());
    assert!(
        expression.contains("#month_cost_micros = :month_cost_micros"),
        "{expression}"
    );
    assert!(
        condition.ends_with("#day < :today AND #month < :this_month"),
        "{condition}"
    );
}

#[test]
fn a_new_meter_starts_from_what_older_versions_counted() {
    let counted = |messages| Totals {
        messages,
        prompt_tokens: 100,
        ..Totals::default()
    };
    let base = Base::Fresh([counted(2), counted(5), counted(40)]);
    let update = meter_update(&user_gains(&delta()), AT, &base).unwrap();
    let (expression, condition) = parts(&update);
    assert!(!expression.contains("ADD"), "{expression}");
    assert_eq!(condition, "attribute_not_exists(pk)");
    for (name, want) in [
        (":day_messages", "3"),
        (":month_messages", "6"),
        (":messages", "41"),
        (":prompt_tokens", "110"),
        (":month_cost_micros", "0"),
    ] {
        assert_eq!(number(&update, name).as_deref(), Some(want), "{name}");
    }
}

#[test]
fn the_meter_says_nothing_for_a_day_or_month_it_has_moved_past() {
    let meter = MeterItem {
        messages: 50,
        day: day_key(AT),
        day_messages: 3,
        month: month_key(AT),
        month_messages: 9,
        ..MeterItem::default()
    };
    let [day, month, all] = meter_totals(&meter, AT);
    assert_eq!((day.messages, month.messages, all.messages), (3, 9, 50));
    assert_eq!(
        Base::of(&meter, AT),
        Base::Existing {
            same_day: true,
            same_month: true
        }
    );
    let next_day = AT + 86_400_000;
    let [day, month, all] = meter_totals(&meter, next_day);
    assert_eq!((day.messages, month.messages, all.messages), (0, 9, 50));
    let next_month = AT + 31 * 86_400_000;
    let [day, month, _] = meter_totals(&meter, next_month);
    assert_eq!((day.messages, month.messages), (0, 0));
    assert_eq!(
        Base::of(&meter, next_month),
        Base::Existing {
            same_day: false,
            same_month: false
        }
    );
}
