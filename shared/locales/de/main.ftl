# The bot's own words (everything not written by the model). Commands stay in English.

start = Hallo! Ich bin dein Begleiter. Schreib mir einfach, wie du einem Freund schreiben würdest.

    /help zeigt, was ich kann.
reset-done = Okay, wir fangen neu an. Unser bisheriges Gespräch habe ich beiseitegelegt.
unsupported-message = Ich kann Text, Sprachnachrichten und Fotos lesen, aber diese Art von Nachricht noch nicht.
message-too-big = Entschuldige, diese Nachricht ist mir zu lang. Kannst du sie in kürzeren Teilen schicken?
refused-channel = Dieser Bot ist für Mitglieder unseres Kanals. Tritt ihm bei und schick deine Nachricht dann noch einmal.
refused-private = Entschuldige, dieser Bot ist privat.
unknown-command = Den Befehl /{ $name } kenne ich nicht. Versuch es mit /help.

access-allow-listed = Du hast Zugang: Du stehst auf der Freigabeliste.
access-open = Du hast Zugang: Dieser Bot ist für alle offen.
access-member = Du hast Zugang: Du bist { $status ->
        [creator] Ersteller
        [administrator] Administrator
        [restricted] eingeschränktes Mitglied
       *[member] Mitglied
    } des Kanals.
access-as-group = Du hast Zugang: Du schreibst als diese Gruppe.
access-as-channel = Du hast Zugang: Du schreibst als der Kanal.
access-banned = Du hast keinen Zugang: Du bist im Kanal gesperrt.
access-not-member = Du hast noch keinen Zugang: Tritt zuerst dem Kanal bei.
access-refused = Du hast keinen Zugang zu diesem Bot.

persona-menu = Wer soll ich für dich sein? Wähle aus, oder beschreibe jemanden mit /persona custom Name: Beschreibung
persona-other-hint = Beschreibe, wer ich sein soll: /persona custom Name: Beschreibung
persona-set = Okay! Ab jetzt bin ich für dich: { $who }.
persona-custom-hint = Sag mir, wer ich sein soll, z. B. /persona custom Anna: meine ältere Schwester, die gern wandert und mich mit meinen Kochkünsten aufzieht
persona-too-long = Diese Beschreibung ist zu lang; bitte bleib unter { $max } Zeichen.
persona-noun-parent = Elternteil
persona-noun-spouse = Ehepartner
persona-noun-child = Kind
persona-noun-sibling = Geschwister
persona-noun-friend = Freund
persona-noun-colleague = Kollege
persona-noun-other = jemand anderes (beschreib es)

new-style-done-heading = Kontext erfolgreich aktualisiert!
new-style-done = { new-style-done-heading }
    Aus { $samples } deiner Nachrichten erstellt. Leite mir in den nächsten { $minutes ->
        [one] { $minutes } Minute
       *[other] { $minutes } Minuten
    } Nachrichten weiter, die du woanders geschrieben hast, dann lerne ich auch aus ihnen.
sample-added = Zu deinen Stilproben hinzugefügt: Dein Profil stützt sich jetzt auf { $samples ->
        [one] { $samples } Nachricht
       *[other] { $samples } Nachrichten
    }.
style-none = Deinen Stil kenne ich noch nicht. Schick /new_style, nachdem wir ein wenig geschrieben haben.
style-report-on = Dein Stil (aus { $samples ->
        [one] { $samples } Nachricht
       *[other] { $samples } Nachrichten
    }): { $description }
    Die Nachahmung ist an. /style off schaltet sie aus.
style-report-off = Dein Stil (aus { $samples ->
        [one] { $samples } Nachricht
       *[other] { $samples } Nachrichten
    }): { $description }
    Die Nachahmung ist aus. /style on schaltet sie ein.
style-on = Okay, ich schreibe wieder in deinem Stil.
style-off = Okay, ich ahme deinen Stil nicht mehr nach. /style on holt ihn zurück.
style-usage = Verwendung: /style, /style on oder /style off
new-style-too-few = Ich brauche ein paar Nachrichten von dir, bevor ich deinen Stil lernen kann. Schreib ein bisschen mit mir und versuch /new_style dann noch einmal.
memory-folded = Unser Gespräch wird lang, deshalb habe ich den älteren Teil in Notizen zusammengefasst. Was wichtig ist, weiß ich noch.


stopped = ⏹ Angehalten. Was ich bis dahin geschrieben hatte, steht oben; schick eine Nachricht, um weiterzumachen.
stopped-empty = ⏹ Angehalten, bevor ich etwas geschrieben hatte.
cancelling = Okay: Falls ich gerade eine Antwort schreibe, halte ich sie an.

transcript = 🎙 „{ $text }“
voice-on = Okay, ich antworte zusätzlich mit Sprachnachrichten. /voice off beendet das.
voice-off = Okay, ab jetzt nur noch Text.
voice-usage = Verwendung: /voice on oder /voice off
settings-menu = Einstellungen. Tippe zum Ändern:
group-admins-only = Das können nur die Admins dieser Gruppe ändern.
model-not-allowed = Dieses Modell ist nicht verfügbar.
setting-on = an
setting-off = aus
setting-voice-replies = Sprachantworten: { $state }
setting-transcripts = Transkripte zeigen: { $state }
setting-model = Modell: { $model }
setting-model-default = Standard
