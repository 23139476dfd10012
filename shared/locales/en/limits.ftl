# Said once per minute when someone writes faster than the rate limit allows; the messages over it are not answered.
limits-too-fast = You're writing faster than I can answer: at most { $limit } { $limit ->
        [one] message
       *[other] messages
    } a minute. I'll skip the ones over that; write again in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }.
# /usage: what was used in one period ($period is today, month or total); $cost is formatted like $0.0012.
limits-usage-line = { $period ->
        [today] Today
        [month] This month
       *[total] All time
    }: { $messages } { $messages ->
        [one] message
       *[other] messages
    }, { $tokens } { $tokens ->
        [one] token
       *[other] tokens
    }, { $cost }
# /usage: when the model server did not report some counts and the bot estimated them.
limits-usage-estimated = Of those tokens, { $tokens } are my own estimate: the server did not report them.
# /usage: a token limit that applies to the user, and what is left of it.
limits-left-tokens = { $period ->
        [day] Limit today
       *[month] Limit this month
    }: { $limit } tokens, { $left } left
# /usage: a cost limit that applies to the user, and what is left of it ($limit and $left formatted like $0.50).
limits-left-cost = { $period ->
        [day] Spending limit today
       *[month] Spending limit this month
    }: { $limit }, { $left } left
# /usage: the user's credits, spent once a limit is reached.
limits-credits = Credits: { $credits } { $credits ->
        [one] token
       *[other] tokens
    } (used once a limit is reached)
# /usage: when limits reset.
limits-resets = Daily limits start again at 00:00 UTC, monthly ones on the 1st.
