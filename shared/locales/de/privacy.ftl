# /forget: die Warnung, ihre Knöpfe und der Bericht, der sie ersetzt.
privacy-forget-warning =
    Damit lösche ich endgültig alles, was ich über dich gespeichert habe:
    • unser privates Gespräch: alle Nachrichten, Notizen und Gesprächstitel, auch die beim KI-Anbieter gespeicherten
    • deine Persona, Einstellungen, dein Stilprofil und deine Stilproben
    • deine Nutzungsdaten, Limits und Guthaben
    Das lässt sich nicht rückgängig machen.{ $group ->
        [yes] {" "}In Gruppen bleibt, was du gesagt hast, im Gespräch der Gruppe, aber ohne Verbindung zu dir.
       *[no] {""}
    }
privacy-forget-confirm-button = 🗑 Alles löschen
privacy-forget-cancel-button = Meine Daten behalten
privacy-forget-not-yours = Darauf antworten kann nur, wer /forget gesendet hat.
privacy-forget-working = Deine Daten werden gelöscht…
privacy-forget-kept = Alles klar, es wurde nichts gelöscht.
privacy-forget-expired = Diese Bestätigung ist abgelaufen. Sende /forget noch einmal, wenn du deine Daten weiterhin löschen möchtest.
privacy-forget-nothing = Es war nichts mehr von dir zu löschen.
privacy-forget-done =
    Erledigt. Ich habe alles gelöscht, was ich über dich gespeichert hatte:
    • { $messages ->
        [one] eine Nachricht
       *[other] { $messages } Nachrichten
    } und { $notes ->
        [one] eine Notiz
       *[other] { $notes } Notizen
    }
    • { $conversations ->
        [one] einen Gesprächstitel
       *[other] { $conversations } Gesprächstitel
    }{ $server ->
        [0] {""}
        [one] {" und ein Gespräch beim KI-Anbieter"}
       *[other] {" und "}{ $server }{" Gespräche beim KI-Anbieter"}
    }
    • { $samples ->
        [one] eine Stilprobe
       *[other] { $samples } Stilproben
    }
    • { $records ->
        [one] einen weiteren Eintrag
       *[other] { $records } weitere Einträge
    } (Profil, Persona, Einstellungen, Nutzung, Guthaben)
    Wenn du mir wieder schreibst, fange ich von vorn an.

# /forget in the private command menu.
cmd-forget = Alles löschen, was ich über dich speichere
