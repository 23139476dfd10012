# /help: one line per command, the command itself as the user types it.

help-intro-private = Schreib mir irgendwas, schick eine Sprachnachricht oder ein Foto, und ich antworte.
help-intro-group = Erwähne mich in dieser Gruppe oder antworte auf eine meiner Nachrichten, dann antworte ich.
help-reset = /reset – ein neues Gespräch beginnen
help-new-style = /new_style – aus deinen letzten Nachrichten lernen, wie du schreibst
help-style = /style – dein Stilprofil zeigen; /style on oder off schaltet die Nachahmung um
help-persona = /persona – auswählen, wer ich für dich bin
help-persona-custom = /persona custom Name: Beschreibung – jemanden nach deinen Worten beschreiben
help-usage = /usage – was du heute, diesen Monat und insgesamt verbraucht hast
help-history = /history – deine letzten Gespräche
help-export = /export – dieses Gespräch als Markdown-Datei
help-settings = /settings – Sprachantworten, Transkripte, Modell
help-voice = /voice on oder off – zusätzlich mit Sprachnachrichten antworten
help-language = /language – die Sprache meiner eigenen Nachrichten (/language de, /language auto)
help-cancel = /cancel oder /stop – die Antwort anhalten, die ich gerade schreibe
help-subscribe = /subscribe – deinen Zugang prüfen
help-stats = /stats – Nutzer, Gespräche und Kosten, heute und insgesamt (Admins)
help-grant = /grant <user_id> <tokens> – Guthaben über die Limits hinaus geben, oder mit einem negativen Betrag zurücknehmen (Admins)
help-help = /help – diese Nachricht
help-group-persona = /persona – auswählen, wer ich in dieser Gruppe bin (Admins)
help-group-persona-custom = /persona custom Name: Beschreibung – jemanden nach deinen Worten beschreiben (Admins)
help-group-settings = /settings – Sprachantworten, Transkripte und Modell dieser Gruppe (Admins)
help-group-voice = /voice on oder off – zusätzlich mit Sprachnachrichten antworten (Admins)
