# /forget: the warning, its buttons, and the report that replaces it.
privacy-forget-warning =
    This deletes everything I keep about you, for good:
    • our private conversation: every message, note and conversation title, also those kept at the AI provider
    • your persona, settings, style profile and style samples
    • your usage records, limits and credits
    It cannot be undone.{ $group ->
        [yes] {" "}In groups, what you said stays in the group's conversation, with no link to you.
       *[no] {""}
    }
privacy-forget-confirm-button = 🗑 Delete everything
privacy-forget-cancel-button = Keep my data
privacy-forget-not-yours = Only the person who sent /forget can answer this.
privacy-forget-working = Deleting your data…
privacy-forget-kept = Okay, nothing was deleted.
privacy-forget-expired = This confirmation has expired. Send /forget again if you still want your data deleted.
privacy-forget-nothing = There was nothing about you left to delete.
privacy-forget-done =
    Done. I deleted everything I kept about you:
    • { $messages ->
        [one] one message
       *[other] { $messages } messages
    } and { $notes ->
        [one] one note
       *[other] { $notes } notes
    }
    • { $conversations ->
        [one] one conversation title
       *[other] { $conversations } conversation titles
    }{ $server ->
        [0] {""}
        [one] {", and one conversation at the AI provider"}
       *[other] {", and "}{ $server }{" conversations at the AI provider"}
    }
    • { $samples ->
        [one] one style sample
       *[other] { $samples } style samples
    }
    • { $records ->
        [one] one other record
       *[other] { $records } other records
    } (profile, persona, settings, usage, credits)
    If you write to me again, I'll start from scratch.

# /forget in the private command menu.
cmd-forget = Delete everything I keep about you
