# Telegram's command menus (at most 256 characters each) and the words on buttons.

cmd-start = Dire bonjour
cmd-help = Ce que je sais faire
cmd-persona = Choisir qui je suis pour toi
cmd-settings = Réponses vocales, transcriptions, modèle
cmd-voice = Réponses vocales : /voice on ou off
cmd-cancel = Arrêter la réponse en cours
cmd-new-style = Apprendre comment tu écris
cmd-style = Voir ou basculer l'imitation de style
cmd-reset = Commencer une nouvelle conversation
cmd-history = Tes dernières conversations
cmd-export = Cette conversation en fichier
cmd-usage = Ce que tu as utilisé
cmd-subscribe = Vérifier ton accès
cmd-group-persona = Choisir qui je suis dans ce groupe (admins)
cmd-group-settings = Réponses vocales, transcriptions, modèle (admins)

join-channel-button = Rejoindre le canal
voice-replies-button = 🎙 Réponses vocales : { $state } (toucher pour { $next })
transcripts-button = 📝 Afficher les transcriptions : { $state } (toucher pour { $next })
persona-parent = Parent
persona-spouse = Conjoint
persona-child = Enfant
persona-sibling = Frère/sœur
persona-friend = Ami
persona-colleague = Collègue
persona-other = Autre (à décrire)
