//! Budget holds on the user's meter (`holds`, a map by update id, and `hold_seq`): a hold
//! is one conditional `UpdateItem` on the meter, made only when a limit applies; the
//! exchange's transaction settles it in the meter update it makes anyway; a failed call
//! releases it with one more `UpdateItem`. Nothing is added for users without limits.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::builders::UpdateBuilder;

use super::items::{HoldItem, MeterItem};
use super::meter::{Base, meter_totals, meter_update, user_gains};
#[allow(clippy::wildcard_imports)]
use super::*;
use crate::domain::budget::{Budget, Hold};

fn holds_of(meter: &MeterItem) -> Vec<Hold> {
    meter
        .holds
        .iter()
        .filter_map(|(update, h)| {
            Some(Hold {
                update: update.parse().ok()?,
                tokens: h.tokens,
                cost_micros: h.cost_micros,
                until_ms: h.until,
            })
        })
        .collect()
}

/// The holds after adding `hold` to those read, less the ones expired by `at_ms`: the
/// whole map is written, which the version condition makes safe.
fn holds_after(read: &Budget, hold: &Hold, at_ms: i64) -> BTreeMap<String, HoldItem> {
    read.holds
        .iter()
        .filter(|h| h.until_ms > at_ms)
        .chain(std::iter::once(hold))
        .map(|h| {
            let item = HoldItem {
                tokens: h.tokens,
                cost_micros: h.cost_micros,
                until: h.until_ms,
            };
            (h.update.to_string(), item)
        })
        .collect()
}

/// The update that adds `hold` to a meter read as `read`.
pub(super) fn hold_update(read: &Budget, hold: &Hold, at_ms: i64) -> Result<UpdateBuilder> {
    let holds = value(holds_after(read, hold, at_ms))?;
    if !read.metered {
        // No meter yet: create it as the first message would (from what older versions
        // counted), with the hold.
        let base = Base::Fresh([read.totals[0], read.totals[1], read.totals[2]]);
        let update = meter_update(&user_gains(&Delta::default()), at_ms, &base)?;
        let expression = update.get_update_expression().clone().unwrap_or_default();
        return Ok(update
            .update_expression(format!("{expression}, #holds = :holds, #seq = :one"))
            .expression_attribute_names("#holds", "holds")
            .expression_attribute_names("#seq", "hold_seq")
            .expression_attribute_values(":holds", holds)
            .expression_attribute_values(":one", value(1u64)?));
    }
    let condition = if read.version == 0 {
        "attribute_exists(pk) AND attribute_not_exists(#seq)"
    } else {
        "#seq = :seq"
    };
    let mut update = Update::builder()
        .update_expression("SET #holds = :holds ADD #seq :one")
        .condition_expression(condition)
        .expression_attribute_names("#holds", "holds")
        .expression_attribute_names("#seq", "hold_seq")
        .expression_attribute_values(":holds", holds)
        .expression_attribute_values(":one", value(1u64)?);
    if read.version > 0 {
        update = update.expression_attribute_values(":seq", value(read.version)?);
    }
    Ok(update)
}

/// `meter`, the exchange's meter update, also settling the hold for `update`: it goes,
/// and the version moves on, so a hold decided on a reading before this usage is refused.
/// A meter written afresh (it vanished meanwhile) has no holds to settle.
pub(super) fn settle(meter: UpdateBuilder, base: &Base, update: UpdateId) -> Result<UpdateBuilder> {
    if matches!(base, Base::Fresh(_)) {
        return Ok(meter);
    }
    let expression = meter.get_update_expression().clone().unwrap_or_default();
    let add = if expression.contains(" ADD ") {
        ", #seq :seq_step"
    } else {
        " ADD #seq :seq_step"
    };
    Ok(meter
        .update_expression(format!("{expression}{add} REMOVE #holds.#held"))
        .expression_attribute_names("#seq", "hold_seq")
        .expression_attribute_names("#holds", "holds")
        .expression_attribute_names("#held", update.0.to_string())
        .expression_attribute_values(":seq_step", value(1u64)?))
}

impl DynamoStore {
    pub(super) async fn budget(
        &self,
        user: UserId,
        at_ms: i64,
        consistent: bool,
    ) -> Result<Budget> {
        match self.meter(user, consistent).await? {
            Some(meter) => Ok(Budget {
                totals: meter_totals(&meter, at_ms),
                holds: holds_of(&meter),
                version: meter.hold_seq,
                metered: true,
            }),
            None => Ok(Budget {
                totals: Box::pin(self.counted_before_meter(user, at_ms)).await?,
                ..Budget::default()
            }),
        }
    }

    pub(super) async fn add_hold(
        &self,
        user: UserId,
        read: &Budget,
        hold: &Hold,
        at_ms: i64,
    ) -> Result<bool> {
        let update = hold_update(read, hold, at_ms)?;
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::meter(user).attributes()))
            .set_update_expression(update.get_update_expression().clone())
            .set_condition_expression(update.get_condition_expression().clone())
            .set_expression_attribute_names(update.get_expression_attribute_names().clone())
            .set_expression_attribute_values(update.get_expression_attribute_values().clone())
            .send()
            .await;
        written("UpdateItem", result)
    }

    pub(super) async fn release(&self, user: UserId, update: UpdateId) -> Result<()> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::meter(user).attributes()))
            .update_expression("REMOVE #holds.#held")
            .condition_expression("attribute_exists(#holds)")
            .expression_attribute_names("#holds", "holds")
            .expression_attribute_names("#held", update.0.to_string())
            .send()
            .await;
        // No holds at all: nothing to let go of.
        written("UpdateItem", result).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: i64 = 1_765_015_200_000;

    fn hold(update: u64, until_ms: i64) -> Hold {
        Hold {
            update,
            tokens: 100,
            cost_micros: 5,
            until_ms,
        }
    }

    #[test]
    fn a_hold_rewrites_the_map_without_expired_holds_on_the_version_read() {
        let read = Budget {
            holds: vec![hold(1, AT), hold(2, AT + 1)],
            version: 7,
            metered: true,
            ..Budget::default()
        };
        let map = holds_after(&read, &hold(3, AT + 10), AT);
        assert_eq!(map.keys().collect::<Vec<_>>(), ["2", "3"]);
        let update = hold_update(&read, &hold(3, AT + 10), AT).unwrap();
        assert_eq!(
            update.get_update_expression().as_deref(),
            Some("SET #holds = :holds ADD #seq :one")
        );
        assert_eq!(
            update.get_condition_expression().as_deref(),
            Some("#seq = :seq")
        );
        let first = hold_update(&Budget { version: 0, ..read }, &hold(3, AT), AT).unwrap();
        assert_eq!(
            first.get_condition_expression().as_deref(),
            Some("attribute_exists(pk) AND attribute_not_exists(#seq)")
        );
    }

    #[test]
    fn a_first_hold_creates_the_meter_from_what_was_counted_before() {
        let mut read = Budget::default();
        read.totals[2].prompt_tokens = 40;
        let update = hold_update(&read, &hold(3, AT), AT).unwrap();
        let expression = update.get_update_expression().clone().unwrap();
        assert!(
            expression.ends_with(", #holds = :holds, #seq = :one"),
            "{expression}"
        );
        assert_eq!(
            update.get_condition_expression().as_deref(),
            Some("attribute_not_exists(pk)")
        );
        let values = update.get_expression_attribute_values().clone().unwrap();
        assert_eq!(values[":prompt_tokens"].as_n().unwrap(), "40");
    }

    #[test]
    fn settling_removes_the_hold_and_moves_the_version_on() {
        let base = Base::Existing {
            same_day: true,
            same_month: true,
        };
        let delta = Delta {
            messages: 1,
            ..Delta::default()
        };
        let meter = meter_update(&user_gains(&delta), AT, &base).unwrap();
        let settled = settle(meter, &base, UpdateId(42)).unwrap();
        let expression = settled.get_update_expression().clone().unwrap();
        assert!(
            expression.ends_with(", #seq :seq_step REMOVE #holds.#held"),
            "{expression}"
        );
        let names = settled.get_expression_attribute_names().clone().unwrap();
        assert_eq!(names["#held"], "42");
        let fresh = Base::Fresh(Default::default());
        let meter = meter_update(&user_gains(&delta), AT, &fresh).unwrap();
        let untouched = settle(meter, &fresh, UpdateId(42)).unwrap();
        assert!(
            !untouched
                .get_update_expression()
                .clone()
                .unwrap()
                .contains("REMOVE")
        );
    }
}
