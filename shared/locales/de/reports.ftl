# /usage, /stats, /grant and limits.

stats-today = Heute: { $users ->
        [one] { $users } neuer Nutzer
       *[other] { $users } neue Nutzer
    }, { $conversations ->
        [one] { $conversations } Gespräch
       *[other] { $conversations } Gespräche
    }, { $messages ->
        [one] { $messages } Nachricht
       *[other] { $messages } Nachrichten
    }, { $tokens ->
        [one] { $tokens } Token
       *[other] { $tokens } Tokens
    }, { $cost }
stats-total = Insgesamt: { $users ->
        [one] { $users } Nutzer
       *[other] { $users } Nutzer
    }, { $conversations ->
        [one] { $conversations } Gespräch
       *[other] { $conversations } Gespräche
    }, { $messages ->
        [one] { $messages } Nachricht
       *[other] { $messages } Nachrichten
    }, { $tokens ->
        [one] { $tokens } Token
       *[other] { $tokens } Tokens
    }, { $cost }
admins-only = Dieser Befehl ist für die Admins des Bots.
limit-reached-day = Du hast dein Tageslimit erreicht, deshalb kann ich gerade nicht antworten. Es wird am { $date } um 00:00 UTC zurückgesetzt.
limit-reached-month = Du hast dein Monatslimit erreicht, deshalb kann ich gerade nicht antworten. Es wird am { $date } um 00:00 UTC zurückgesetzt.
granted = { $user } hat { $amount ->
        [one] { $amount } Token
       *[other] { $amount } Tokens
    } Guthaben erhalten; das Guthaben beträgt jetzt { $balance }.
took-back = { $user } wurden { $amount ->
        [one] { $amount } Token
       *[other] { $amount } Tokens
    } Guthaben abgezogen; das Guthaben beträgt jetzt { $balance }.
grant-usage = Verwendung: /grant <user_id> <tokens>, z. B. /grant 123456789 50000
grant-bad-user = { $given } ist keine Nutzer-ID. { grant-usage }
grant-bad-amount = { $given } ist keine Token-Menge. { grant-usage }
