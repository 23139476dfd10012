# When things go wrong: one clear sentence each, and no promise that is not kept.

message-too-long = That message is too long for me to read at once (about { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }; I can take about { $budget }). Could you split it up?
# $size: the file's size, as 21.3 (megabytes).
file-too-large-size = That file is too large for me ({ $size } MB): Telegram lets bots download files of up to 20 MB. Could you send a shorter voice note, or type it?
file-too-large = That file is too large for me: Telegram lets bots download files of up to 20 MB. Could you send a shorter voice note, or type it?
no-words-heard = I couldn't make out any words in that voice message.
media-failed = Sorry, I couldn't open that file. Could you send it again?
still-trying = I'm having trouble reaching my language model right now. I'll keep trying for a few minutes and write back either way.
draft-retrying = ⏳ The model didn't answer, trying again…
draft-remembering = 📝 Going over our conversation so far…
cut-short = ✂ That took longer than I'm allowed, so my answer stops there. Say “go on” and I'll continue.
no-vision = This model can't see photos, so I can't tell what's in this one. Tell me about it in words and I'll gladly talk about it.
no-transcription = I can't listen to voice messages here: the AI server I use has no speech recognition. Could you type it instead?
voice-unreadable = Sorry, I couldn't make sense of that recording. Could you send it again, or type it?
no-speech = (I can't record voice notes on this server, so my replies stay text.)
speech-failed = (I couldn't record a voice note for this reply.)
conversation-restored = (I lost the thread of our conversation on the model's side, so I started a new one with what I remember of ours.)

gave-up-quota = Sorry, I can't answer right now: the bot's AI account is out of credit. The bot's operator has to fix that; please try again later.
gave-up-unauthorized = Sorry, I can't answer right now: the AI service refused the bot's key. The bot's operator has to fix that; please try again later.
gave-up-model-not-found = Sorry, I can't answer right now: the AI model the bot is set up for isn't available. The bot's operator has to fix that; please try again later.
gave-up-endpoint-missing = Sorry, I can't answer right now: the AI server doesn't offer what I need. The bot's operator has to fix that; please try again later.
gave-up-content-filter = I can't respond to that one. Let's talk about something else?
gave-up-context-overflow = That's more than I can read at once, even after condensing our earlier conversation. Could you split it up?
gave-up-bad-request = Sorry, the AI model couldn't process this message. Could you put it differently?
gave-up-empty = Sorry, the model came back without an answer. Could you put it differently?
gave-up-model-retrying = Sorry, I still couldn't get an answer from my language model, so I've stopped trying for now. Please send your message again a little later.
gave-up-internal = Sorry, something went wrong on my side and I can't answer this message. Please try again later.
