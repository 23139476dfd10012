# /usage, /stats, /grant and limits.

stats-today = Today: { $users ->
        [one] { $users } new user
       *[other] { $users } new users
    }, { $conversations ->
        [one] { $conversations } conversation
       *[other] { $conversations } conversations
    }, { $messages ->
        [one] { $messages } message
       *[other] { $messages } messages
    }, { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }, { $cost }
stats-total = In total: { $users ->
        [one] { $users } user
       *[other] { $users } users
    }, { $conversations ->
        [one] { $conversations } conversation
       *[other] { $conversations } conversations
    }, { $messages ->
        [one] { $messages } message
       *[other] { $messages } messages
    }, { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }, { $cost }
admins-only = This command is for the bot's admins.
# $date: the day the limit resets, as 2026-12-31.
limit-reached-day = You've reached your daily limit, so I can't answer right now. It resets on { $date } at 00:00 UTC.
limit-reached-month = You've reached your monthly limit, so I can't answer right now. It resets on { $date } at 00:00 UTC.
granted = Granted { $amount ->
        [one] { $amount } token
       *[other] { $amount } tokens
    } of credit to { $user }; their balance is now { $balance }.
took-back = Took { $amount ->
        [one] { $amount } token
       *[other] { $amount } tokens
    } of credit from { $user }; their balance is now { $balance }.
grant-usage = Usage: /grant <user_id> <tokens>, e.g. /grant 123456789 50000
# $given: what the admin wrote, in quotes.
grant-bad-user = { $given } is not a user id. { grant-usage }
grant-bad-amount = { $given } is not a token amount. { grant-usage }
