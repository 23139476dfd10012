use super::*;

// 2026-11-22 10:00 UTC
const NOW: i64 = 1_795_341_600_000;

fn used(tokens: u64, cost: u64) -> [Totals; 3] {
    let t = Totals {
        messages: 1,
        prompt_tokens: tokens,
        completion_tokens: 0,
        cost_micros: cost,
        estimated_tokens: 0,
    };
    [t, t, t]
}

fn ask(prompt: u32) -> Ask {
    Ask {
        update: 9,
        prompt_tokens: prompt,
        reply_tokens: 1000,
        price: None,
        spent_micros: 0,
    }
}

fn daily(tokens: u64) -> Limits {
    Limits {
        daily_tokens: Some(tokens),
        ..Limits::default()
    }
}

#[test]
fn the_reply_is_cut_to_what_is_left_and_all_of_it_is_held() {
    let budget = Budget {
        totals: used(100, 0),
        ..Budget::default()
    };
    let Reservation::Hold { hold, max_tokens } = reserve(&daily(300), &budget, 0, NOW, ask(50))
    else {
        panic!("should fit");
    };
    assert_eq!(max_tokens, 150);
    assert_eq!((hold.tokens, hold.update), (200, 9));
    assert_eq!(hold.until_ms, NOW + HOLD_MS);
}

#[test]
fn live_holds_count_and_expired_ones_do_not() {
    let hold = |until_ms| Hold {
        update: 1,
        tokens: 200,
        cost_micros: 0,
        until_ms,
    };
    let live = Budget {
        totals: used(90, 0),
        holds: vec![hold(NOW + 1)],
        ..Budget::default()
    };
    assert_eq!(
        reserve(&daily(300), &live, 0, NOW, ask(10)),
        Reservation::Exceeded {
            period: Period::Day,
            resets_at_ms: super::next_day_start(NOW)
        }
    );
    assert_eq!(
        reserve(&daily(300), &live, 5, NOW, ask(10)),
        Reservation::FromCredits
    );
    let expired = Budget {
        holds: vec![hold(NOW)],
        ..live
    };
    assert!(matches!(
        reserve(&daily(300), &expired, 0, NOW, ask(10)),
        Reservation::Hold {
            max_tokens: 200,
            ..
        }
    ));
}

#[test]
fn a_cost_limit_is_turned_into_reply_tokens_at_the_models_price() {
    let limits = Limits {
        monthly_cost_micros: Some(10_000),
        ..Limits::default()
    };
    let priced = Ask {
        // $1 and $10 per million: a token in is 1 micro-dollar, a token out 10.
        price: Some(Price {
            input_per_million: 1.0,
            output_per_million: 10.0,
        }),
        spent_micros: 600,
        ..ask(400)
    };
    let budget = Budget {
        totals: used(0, 8_000),
        ..Budget::default()
    };
    // 10_000 - 8_000 - 600 spent - 400 prompt = 1_000 micro-dollars: 100 tokens out.
    assert_eq!(
        reserve(&limits, &budget, 0, NOW, priced),
        Reservation::Hold {
            hold: Hold {
                update: 9,
                tokens: 500,
                cost_micros: 2_000,
                until_ms: NOW + HOLD_MS,
            },
            max_tokens: 100,
        }
    );
    let spent = Budget {
        totals: used(0, 9_500),
        ..Budget::default()
    };
    assert!(matches!(
        reserve(&limits, &spent, 0, NOW, priced),
        Reservation::Exceeded {
            period: Period::Month,
            ..
        }
    ));
}

#[test]
fn no_limit_holds_the_whole_reply() {
    let budget = Budget::default();
    assert!(matches!(
        reserve(&Limits::default(), &budget, 0, NOW, ask(10)),
        Reservation::Hold {
            max_tokens: 1000,
            ..
        }
    ));
}
