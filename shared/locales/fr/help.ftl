# /help: one line per command, the command itself as the user types it.

help-intro-private = Écris ce que tu veux, envoie un message vocal ou une photo, et je te réponds.
help-intro-group = Dans ce groupe, mentionne-moi ou réponds à l'un de mes messages, et je te réponds.
help-reset = /reset – commencer une nouvelle conversation
help-new-style = /new_style – apprendre comment tu écris à partir de tes messages récents
help-style = /style – voir ton profil de style ; /style on ou off active ou désactive l'imitation
help-persona = /persona – choisir qui je suis pour toi
help-persona-custom = /persona custom Nom: description – décrire quelqu'un à ta façon
help-usage = /usage – ce que tu as utilisé aujourd'hui, ce mois-ci et au total
help-history = /history – tes dernières conversations
help-export = /export – cette conversation en fichier Markdown
help-settings = /settings – réponses vocales, transcriptions, modèle
help-voice = /voice on ou off – répondre aussi par messages vocaux
help-language = /language – la langue de mes propres messages (/language de, /language auto)
help-cancel = /cancel ou /stop – arrêter la réponse que je suis en train d'écrire
help-subscribe = /subscribe – vérifier ton accès
help-stats = /stats – utilisateurs, conversations et coût, aujourd'hui et au total (admins)
help-grant = /grant <user_id> <tokens> – accorder du crédit au-delà des limites, ou le retirer avec un montant négatif (admins)
help-help = /help – ce message
help-group-persona = /persona – choisir qui je suis dans ce groupe (admins)
help-group-persona-custom = /persona custom Nom: description – décrire quelqu'un à ta façon (admins)
help-group-settings = /settings – réponses vocales, transcriptions et modèle de ce groupe (admins)
help-group-voice = /voice on ou off – répondre aussi par messages vocaux (admins)
