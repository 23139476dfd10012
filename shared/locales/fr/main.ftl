# The bot's own words (everything not written by the model). Commands stay in English.

start = Salut ! Je suis ton compagnon. Écris-moi simplement comme tu écrirais à un ami.

    /help montre ce que je sais faire.
reset-done = D'accord, on repart de zéro. J'ai mis notre conversation précédente de côté.
unsupported-message = Je sais lire le texte, les messages vocaux et les photos, mais pas encore ce genre de message.
message-too-big = Désolé, ce message est trop long pour moi. Tu pourrais l'envoyer en plusieurs parties plus courtes ?
refused-channel = Ce bot est réservé aux membres de notre canal. Rejoins-le, puis renvoie ton message.
refused-private = Désolé, ce bot est privé.
unknown-command = Je ne connais pas la commande /{ $name }. Essaie /help.

access-allow-listed = Tu as accès : tu es sur la liste autorisée.
access-open = Tu as accès : ce bot est ouvert à tous.
access-member = Tu as accès : tu es { $status ->
        [creator] créateur
        [administrator] administrateur
        [restricted] membre restreint
       *[member] membre
    } du canal.
access-as-group = Tu as accès : tu écris au nom de ce groupe.
access-as-channel = Tu as accès : tu écris au nom du canal.
access-banned = Tu n'as pas accès : tu es banni du canal.
access-not-member = Tu n'as pas encore accès : rejoins d'abord le canal.
access-refused = Tu n'as pas accès à ce bot.

persona-menu = Qui dois-je être pour toi ? Choisis, ou décris quelqu'un avec /persona custom Nom : description
persona-other-hint = Décris qui je dois être : /persona custom Nom : description
persona-set = D'accord ! Désormais, je suis { $who }.
persona-custom-hint = Dis-moi qui je dois être, par ex. /persona custom Anna: ma grande sœur qui adore la randonnée et se moque de ma cuisine
persona-too-long = Cette description est trop longue ; reste sous { $max } caractères, s'il te plaît.
persona-noun-parent = ton parent
persona-noun-spouse = ton conjoint
persona-noun-child = ton enfant
persona-noun-sibling = ton frère ou ta sœur
persona-noun-friend = ton ami
persona-noun-colleague = ton collègue
persona-noun-other = quelqu'un d'autre (décris-le)

new-style-done-heading = Contexte mis à jour avec succès !
new-style-done = { new-style-done-heading }
    Établi à partir de { $samples } de tes messages. Transfère-moi des messages que tu as écrits ailleurs dans { $minutes ->
        [one] la prochaine minute
       *[other] les { $minutes } prochaines minutes
    } et j'apprendrai aussi d'eux.
sample-added = Ajouté à tes échantillons de style : ton profil s'appuie maintenant sur { $samples ->
        [one] { $samples } message
       *[other] { $samples } messages
    }.
style-none = Je n'ai pas encore appris ton style. Envoie /new_style après qu'on a un peu discuté.
style-report-on = Ton style (d'après { $samples ->
        [one] { $samples } message
       *[other] { $samples } messages
    }) : { $description }
    L'imitation est activée. /style off pour la désactiver.
style-report-off = Ton style (d'après { $samples ->
        [one] { $samples } message
       *[other] { $samples } messages
    }) : { $description }
    L'imitation est désactivée. /style on pour l'activer.
style-on = D'accord, j'écris de nouveau dans ton style.
style-off = D'accord, j'arrête d'imiter ton style. /style on le ramène.
style-usage = Utilisation : /style, /style on ou /style off
new-style-too-few = J'ai besoin de quelques-uns de tes messages avant de pouvoir apprendre ton style. Discute un peu avec moi, puis réessaie /new_style.
memory-folded = Notre conversation devient longue, alors j'ai résumé la partie la plus ancienne en notes. Je me souviens toujours de l'essentiel.


stopped = ⏹ Arrêté. Ce que j'avais écrit jusque-là est au-dessus ; envoie un message pour continuer.
stopped-empty = ⏹ Arrêté avant que j'aie écrit quoi que ce soit.
cancelling = D'accord : si je suis en train d'écrire une réponse, je l'arrête là.

transcript = 🎙 « { $text } »
voice-on = D'accord, je réponds aussi par messages vocaux. /voice off arrête ça.
voice-off = D'accord, uniquement du texte désormais.
voice-usage = Utilisation : /voice on ou /voice off
settings-menu = Réglages. Touche pour modifier :
group-admins-only = Seuls les admins de ce groupe peuvent modifier cela.
model-not-allowed = Ce modèle n'est pas disponible.
setting-on = activé
setting-off = désactivé
setting-voice-replies = Réponses vocales : { $state }
setting-transcripts = Afficher les transcriptions : { $state }
setting-model = Modèle : { $model }
setting-model-default = par défaut
