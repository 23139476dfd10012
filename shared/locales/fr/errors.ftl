# When things go wrong: one clear sentence each, and no promise that is not kept.

message-too-long = Ce message est trop long pour que je le lise d'un coup (environ { $tokens ->
        [one] { $tokens } jeton
       *[other] { $tokens } jetons
    } ; je peux en prendre environ { $budget }). Tu pourrais le découper ?
file-too-large-size = Ce fichier est trop gros pour moi ({ $size } Mo) : Telegram ne laisse les bots télécharger que des fichiers jusqu'à 20 Mo. Tu pourrais envoyer un message vocal plus court, ou l'écrire ?
file-too-large = Ce fichier est trop gros pour moi : Telegram ne laisse les bots télécharger que des fichiers jusqu'à 20 Mo. Tu pourrais envoyer un message vocal plus court, ou l'écrire ?
no-words-heard = Je n'ai distingué aucun mot dans ce message vocal.
media-failed = Désolé, je n'ai pas pu ouvrir ce fichier. Tu pourrais le renvoyer ?
still-trying = J'ai du mal à joindre mon modèle de langage en ce moment. Je continue d'essayer pendant quelques minutes et je te réponds dans tous les cas.
draft-retrying = ⏳ Le modèle n'a pas répondu, nouvel essai…
draft-remembering = 📝 Je repasse notre conversation jusqu'ici…
cut-short = ✂ Ça a pris plus de temps que ce qui m'est permis, alors ma réponse s'arrête là. Dis « continue » et je poursuis.
no-vision = Ce modèle ne voit pas les photos, je ne peux donc pas dire ce qu'il y a sur celle-ci. Décris-la-moi avec des mots et j'en parlerai volontiers.
no-transcription = Je ne peux pas écouter de messages vocaux ici : le serveur d'IA que j'utilise n'a pas de reconnaissance vocale. Tu pourrais l'écrire ?
voice-unreadable = Désolé, je n'ai rien compris à cet enregistrement. Tu pourrais le renvoyer, ou l'écrire ?
no-speech = (Je ne peux pas enregistrer de messages vocaux sur ce serveur, mes réponses restent donc en texte.)
speech-failed = (Je n'ai pas pu enregistrer de message vocal pour cette réponse.)
conversation-restored = (J'ai perdu le fil de notre conversation côté modèle, alors j'en ai commencé une nouvelle avec ce dont je me souviens de la nôtre.)

gave-up-quota = Désolé, je ne peux pas répondre pour l'instant : le compte d'IA du bot n'a plus de crédit. L'exploitant du bot doit régler ça ; réessaie plus tard.
gave-up-unauthorized = Désolé, je ne peux pas répondre pour l'instant : le service d'IA a refusé la clé du bot. L'exploitant du bot doit régler ça ; réessaie plus tard.
gave-up-model-not-found = Désolé, je ne peux pas répondre pour l'instant : le modèle d'IA pour lequel le bot est configuré n'est pas disponible. L'exploitant du bot doit régler ça ; réessaie plus tard.
gave-up-endpoint-missing = Désolé, je ne peux pas répondre pour l'instant : le serveur d'IA ne propose pas ce dont j'ai besoin. L'exploitant du bot doit régler ça ; réessaie plus tard.
gave-up-content-filter = Je ne peux pas répondre à ça. On parle d'autre chose ?
gave-up-context-overflow = C'est plus que ce que je peux lire d'un coup, même après avoir résumé notre conversation précédente. Tu pourrais le découper ?
gave-up-bad-request = Désolé, le modèle d'IA n'a pas pu traiter ce message. Tu pourrais le formuler autrement ?
gave-up-empty = Désolé, le modèle est revenu sans réponse. Tu pourrais le formuler autrement ?
gave-up-model-retrying = Désolé, je n'arrive toujours pas à obtenir de réponse de mon modèle de langage, alors j'arrête d'essayer pour l'instant. Renvoie ton message un peu plus tard.
gave-up-internal = Désolé, quelque chose s'est mal passé de mon côté et je ne peux pas répondre à ce message. Réessaie plus tard.
