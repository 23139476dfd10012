# /usage, /stats, /grant and limits.

stats-today = Aujourd'hui : { $users ->
        [one] { $users } nouvel utilisateur
       *[other] { $users } nouveaux utilisateurs
    }, { $conversations ->
        [one] { $conversations } conversation
       *[other] { $conversations } conversations
    }, { $messages ->
        [one] { $messages } message
       *[other] { $messages } messages
    }, { $tokens ->
        [one] { $tokens } jeton
       *[other] { $tokens } jetons
    }, { $cost }
stats-total = Au total : { $users ->
        [one] { $users } utilisateur
       *[other] { $users } utilisateurs
    }, { $conversations ->
        [one] { $conversations } conversation
       *[other] { $conversations } conversations
    }, { $messages ->
        [one] { $messages } message
       *[other] { $messages } messages
    }, { $tokens ->
        [one] { $tokens } jeton
       *[other] { $tokens } jetons
    }, { $cost }
admins-only = Cette commande est réservée aux admins du bot.
limit-reached-day = Tu as atteint ta limite quotidienne, je ne peux donc pas répondre pour l'instant. Elle est réinitialisée le { $date } à 00:00 UTC.
limit-reached-month = Tu as atteint ta limite mensuelle, je ne peux donc pas répondre pour l'instant. Elle est réinitialisée le { $date } à 00:00 UTC.
granted = { $amount ->
        [one] { $amount } jeton de crédit accordé
       *[other] { $amount } jetons de crédit accordés
    } à { $user } ; son solde est maintenant de { $balance }.
took-back = { $amount ->
        [one] { $amount } jeton de crédit retiré
       *[other] { $amount } jetons de crédit retirés
    } à { $user } ; son solde est maintenant de { $balance }.
grant-usage = Utilisation : /grant <user_id> <tokens>, par ex. /grant 123456789 50000
grant-bad-user = { $given } n'est pas un identifiant d'utilisateur. { grant-usage }
grant-bad-amount = { $given } n'est pas un nombre de jetons. { grant-usage }
