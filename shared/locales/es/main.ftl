# The bot's own words (everything not written by the model). Commands stay in English.

start = ¡Hola! Soy tu compañero. Escríbeme como le escribirías a un amigo.

    /help muestra lo que sé hacer.
reset-done = Vale, empezamos de cero. He dejado a un lado nuestra conversación anterior.
unsupported-message = Puedo leer texto, notas de voz y fotos, pero este tipo de mensaje todavía no.
message-too-big = Lo siento, ese mensaje es demasiado largo para mí. ¿Podrías enviarlo en partes más cortas?
refused-channel = Este bot es para miembros de nuestro canal. Únete y vuelve a enviar tu mensaje.
refused-private = Lo siento, este bot es privado.
unknown-command = No conozco el comando /{ $name }. Prueba /help.

access-allow-listed = Tienes acceso: estás en la lista de permitidos.
access-open = Tienes acceso: este bot está abierto a todo el mundo.
access-member = Tienes acceso: eres { $status ->
        [creator] creador
        [administrator] administrador
        [restricted] miembro con restricciones
       *[member] miembro
    } del canal.
access-as-group = Tienes acceso: escribes en nombre de este grupo.
access-as-channel = Tienes acceso: escribes en nombre del canal.
access-banned = No tienes acceso: estás bloqueado en el canal.
access-not-member = Aún no tienes acceso: primero únete al canal.
access-refused = No tienes acceso a este bot.

persona-menu = ¿Quién quieres que sea para ti? Elige uno, o describe a alguien con /persona custom Nombre: descripción
persona-other-hint = Describe quién debo ser: /persona custom Nombre: descripción
persona-set = ¡Vale! A partir de ahora soy tu { $who }.
persona-custom-hint = Dime quién debo ser, p. ej. /persona custom Ana: mi hermana mayor, a la que le encanta el senderismo y se burla de cómo cocino
persona-too-long = Esa descripción es demasiado larga; que no pase de { $max } caracteres, por favor.
persona-noun-parent = madre o padre
persona-noun-spouse = pareja
persona-noun-child = hijo o hija
persona-noun-sibling = hermano o hermana
persona-noun-friend = amigo
persona-noun-colleague = colega
persona-noun-other = otro (descríbelo)

new-style-done-heading = ¡Contexto actualizado correctamente!
new-style-done = { new-style-done-heading }
    Creado a partir de { $samples } de tus mensajes. Reenvíame mensajes que hayas escrito en otros sitios durante { $minutes ->
        [one] el próximo minuto
       *[other] los próximos { $minutes } minutos
    } y también aprenderé de ellos.
sample-added = Añadido a tus muestras de estilo: tu perfil se basa ahora en { $samples ->
        [one] { $samples } mensaje
       *[other] { $samples } mensajes
    }.
style-none = Todavía no he aprendido tu estilo. Envía /new_style después de charlar un poco.
style-report-on = Tu estilo (a partir de { $samples ->
        [one] { $samples } mensaje
       *[other] { $samples } mensajes
    }): { $description }
    La imitación está activada. /style off para desactivarla.
style-report-off = Tu estilo (a partir de { $samples ->
        [one] { $samples } mensaje
       *[other] { $samples } mensajes
    }): { $description }
    La imitación está desactivada. /style on para activarla.
style-on = Vale, vuelvo a escribir con tu estilo.
style-off = Vale, dejo de imitar tu estilo. /style on lo recupera.
style-usage = Uso: /style, /style on o /style off
new-style-too-few = Necesito algunos mensajes tuyos antes de aprender tu estilo. Charla un poco conmigo y vuelve a probar /new_style.
memory-folded = Nuestra conversación se está alargando, así que he resumido la parte más antigua en notas. Sigo recordando lo importante.


stopped = ⏹ Detenido. Lo que había escrito hasta ahora está arriba; envía un mensaje para seguir.
stopped-empty = ⏹ Detenido antes de que escribiera nada.
cancelling = Vale: si estoy escribiendo una respuesta, la detengo ahí.

transcript = 🎙 «{ $text }»
voice-on = Vale, también responderé con notas de voz. /voice off lo desactiva.
voice-off = Vale, a partir de ahora solo texto.
voice-usage = Uso: /voice on o /voice off
settings-menu = Ajustes. Toca para cambiar:
group-admins-only = Solo los administradores de este grupo pueden cambiar eso.
model-not-allowed = Ese modelo no está disponible.
setting-on = sí
setting-off = no
setting-voice-replies = Respuestas de voz: { $state }
setting-transcripts = Mostrar transcripciones: { $state }
setting-model = Modelo: { $model }
setting-model-default = predeterminado
