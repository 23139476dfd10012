# When things go wrong: one clear sentence each, and no promise that is not kept.

message-too-long = Diese Nachricht ist zu lang, um sie auf einmal zu lesen (etwa { $tokens ->
        [one] { $tokens } Token
       *[other] { $tokens } Tokens
    }; ich schaffe etwa { $budget }). Kannst du sie aufteilen?
file-too-large-size = Diese Datei ist mir zu groß ({ $size } MB): Telegram lässt Bots nur Dateien bis 20 MB herunterladen. Kannst du eine kürzere Sprachnachricht schicken oder es tippen?
file-too-large = Diese Datei ist mir zu groß: Telegram lässt Bots nur Dateien bis 20 MB herunterladen. Kannst du eine kürzere Sprachnachricht schicken oder es tippen?
no-words-heard = In dieser Sprachnachricht konnte ich keine Wörter verstehen.
media-failed = Entschuldige, ich konnte diese Datei nicht öffnen. Kannst du sie noch einmal schicken?
still-trying = Ich erreiche mein Sprachmodell gerade nicht. Ich versuche es noch ein paar Minuten weiter und melde mich auf jeden Fall.
draft-retrying = ⏳ Das Modell hat nicht geantwortet, ich versuche es noch einmal…
draft-remembering = 📝 Ich gehe unser bisheriges Gespräch durch…
cut-short = ✂ Das hat länger gedauert, als ich darf, deshalb endet meine Antwort hier. Sag „weiter“, dann mache ich weiter.
no-vision = Dieses Modell kann keine Fotos sehen, deshalb weiß ich nicht, was auf diesem ist. Beschreib es mir in Worten, dann rede ich gern darüber.
no-transcription = Sprachnachrichten kann ich hier nicht anhören: Der KI-Server, den ich nutze, hat keine Spracherkennung. Kannst du es stattdessen tippen?
voice-unreadable = Entschuldige, mit dieser Aufnahme konnte ich nichts anfangen. Kannst du sie noch einmal schicken oder es tippen?
no-speech = (Auf diesem Server kann ich keine Sprachnachrichten aufnehmen, meine Antworten bleiben also Text.)
speech-failed = (Für diese Antwort konnte ich keine Sprachnachricht aufnehmen.)
conversation-restored = (Auf der Seite des Modells ist der Faden unseres Gesprächs verloren gegangen, deshalb habe ich mit dem, was ich davon weiß, ein neues begonnen.)

gave-up-quota = Entschuldige, ich kann gerade nicht antworten: Das KI-Konto des Bots hat kein Guthaben mehr. Das muss der Betreiber des Bots beheben; bitte versuch es später noch einmal.
gave-up-unauthorized = Entschuldige, ich kann gerade nicht antworten: Der KI-Dienst hat den Schlüssel des Bots abgelehnt. Das muss der Betreiber des Bots beheben; bitte versuch es später noch einmal.
gave-up-model-not-found = Entschuldige, ich kann gerade nicht antworten: Das KI-Modell, für das der Bot eingerichtet ist, ist nicht verfügbar. Das muss der Betreiber des Bots beheben; bitte versuch es später noch einmal.
gave-up-endpoint-missing = Entschuldige, ich kann gerade nicht antworten: Der KI-Server bietet nicht, was ich brauche. Das muss der Betreiber des Bots beheben; bitte versuch es später noch einmal.
gave-up-content-filter = Darauf kann ich nicht antworten. Wollen wir über etwas anderes reden?
gave-up-context-overflow = Das ist mehr, als ich auf einmal lesen kann, selbst nachdem ich unser früheres Gespräch zusammengefasst habe. Kannst du es aufteilen?
gave-up-bad-request = Entschuldige, das KI-Modell konnte diese Nachricht nicht verarbeiten. Kannst du es anders formulieren?
gave-up-empty = Entschuldige, das Modell kam ohne Antwort zurück. Kannst du es anders formulieren?
gave-up-model-retrying = Entschuldige, ich habe von meinem Sprachmodell immer noch keine Antwort bekommen und höre vorerst auf, es zu versuchen. Bitte schick deine Nachricht etwas später noch einmal.
gave-up-internal = Entschuldige, bei mir ist etwas schiefgelaufen und ich kann auf diese Nachricht nicht antworten. Bitte versuch es später noch einmal.
