# When things go wrong: one clear sentence each, and no promise that is not kept.

message-too-long = Ese mensaje es demasiado largo para leerlo de una vez (unos { $tokens ->
        [one] { $tokens } token
       *[other] { $tokens } tokens
    }; puedo con unos { $budget }). ¿Podrías dividirlo?
file-too-large-size = Ese archivo es demasiado grande para mí ({ $size } MB): Telegram solo deja a los bots descargar archivos de hasta 20 MB. ¿Podrías enviar una nota de voz más corta o escribirlo?
file-too-large = Ese archivo es demasiado grande para mí: Telegram solo deja a los bots descargar archivos de hasta 20 MB. ¿Podrías enviar una nota de voz más corta o escribirlo?
no-words-heard = No he podido entender ninguna palabra en esa nota de voz.
media-failed = Lo siento, no he podido abrir ese archivo. ¿Podrías enviarlo otra vez?
still-trying = Ahora mismo me cuesta contactar con mi modelo de lenguaje. Seguiré intentándolo unos minutos y te escribiré en cualquier caso.
draft-retrying = ⏳ El modelo no ha respondido, lo intento de nuevo…
draft-remembering = 📝 Repasando nuestra conversación hasta ahora…
cut-short = ✂ Eso ha llevado más tiempo del que se me permite, así que mi respuesta se corta aquí. Di «sigue» y continúo.
no-vision = Este modelo no puede ver fotos, así que no sé qué hay en esta. Cuéntamelo con palabras y hablaré de ella con gusto.
no-transcription = Aquí no puedo escuchar notas de voz: el servidor de IA que uso no tiene reconocimiento de voz. ¿Podrías escribirlo?
voice-unreadable = Lo siento, no he podido entender esa grabación. ¿Podrías enviarla otra vez o escribirlo?
no-speech = (En este servidor no puedo grabar notas de voz, así que mis respuestas siguen siendo texto.)
speech-failed = (No he podido grabar una nota de voz para esta respuesta.)
conversation-restored = (Perdí el hilo de nuestra conversación del lado del modelo, así que empecé una nueva con lo que recuerdo de la nuestra.)

gave-up-quota = Lo siento, ahora no puedo responder: la cuenta de IA del bot se ha quedado sin crédito. Tiene que arreglarlo quien gestiona el bot; inténtalo más tarde.
gave-up-unauthorized = Lo siento, ahora no puedo responder: el servicio de IA ha rechazado la clave del bot. Tiene que arreglarlo quien gestiona el bot; inténtalo más tarde.
gave-up-model-not-found = Lo siento, ahora no puedo responder: el modelo de IA para el que está configurado el bot no está disponible. Tiene que arreglarlo quien gestiona el bot; inténtalo más tarde.
gave-up-endpoint-missing = Lo siento, ahora no puedo responder: el servidor de IA no ofrece lo que necesito. Tiene que arreglarlo quien gestiona el bot; inténtalo más tarde.
gave-up-content-filter = A eso no puedo responder. ¿Hablamos de otra cosa?
gave-up-context-overflow = Eso es más de lo que puedo leer de una vez, incluso después de resumir nuestra conversación anterior. ¿Podrías dividirlo?
gave-up-bad-request = Lo siento, el modelo de IA no ha podido procesar este mensaje. ¿Podrías decirlo de otra forma?
gave-up-empty = Lo siento, el modelo ha vuelto sin respuesta. ¿Podrías decirlo de otra forma?
gave-up-model-retrying = Lo siento, sigo sin obtener respuesta de mi modelo de lenguaje, así que por ahora he dejado de intentarlo. Vuelve a enviar tu mensaje un poco más tarde.
gave-up-internal = Lo siento, algo ha fallado por mi parte y no puedo responder a este mensaje. Inténtalo más tarde.
