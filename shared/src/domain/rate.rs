//! How fast one person may send: at most N messages per minute, counted in fixed
//! one-minute windows by the message's own Telegram date (so a queue's backlog is judged
//! by when it was sent, and no clock is read).

/// How long a window's counter is kept: its own minute, plus one for late deliveries.
pub const WINDOW_TTL_SECS: i64 = 120;

/// `RATE_LIMIT_PER_MINUTE`: messages per person per minute; 0 turns the limit off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Messages per person per minute; 0: off.
    pub per_minute: u32,
}

/// What the count so far in a window means for one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Within the limit: on to the model.
    Within,
    /// The first message over it in this window: not answered, and the user is told once,
    /// with the seconds until the next window.
    FirstExcess {
        /// Seconds until the next window starts.
        wait_secs: u32,
    },
    /// A later message over it: not answered, and nothing more is said.
    Excess,
}

impl RateLimit {
    /// Whether the limit is on at all (off: nothing is counted, no request is made).
    pub fn is_on(self) -> bool {
        self.per_minute > 0
    }

    /// The minute a message sent at `date_secs` (Unix seconds) counts in.
    pub fn window(date_secs: i64) -> i64 {
        date_secs.div_euclid(60)
    }

    /// What the `count`th message (from 1) of its window means, sent at `date_secs`.
    pub fn pace(self, count: u64, date_secs: i64) -> Pace {
        let limit = u64::from(self.per_minute);
        if !self.is_on() || count <= limit {
            Pace::Within
        } else if count == limit + 1 {
            Pace::FirstExcess {
                wait_secs: (60 - date_secs.rem_euclid(60)) as u32,
            }
        } else {
            Pace::Excess
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_table() {
        let limit = RateLimit { per_minute: 3 };
        // 2026-12-06 10:00:45 UTC: 15 s left in its minute.
        let at = 1_765_015_245;
        let cases = [
            (1, Pace::Within),
            (3, Pace::Within),
            (4, Pace::FirstExcess { wait_secs: 15 }),
            (5, Pace::Excess),
            (400, Pace::Excess),
        ];
        for (count, want) in cases {
            assert_eq!(limit.pace(count, at), want, "{count}");
        }
        assert_eq!(RateLimit::default().pace(1_000, at), Pace::Within);
        assert_eq!(RateLimit::window(at), RateLimit::window(at - 45));
        assert_ne!(RateLimit::window(at), RateLimit::window(at + 15));
    }
}
