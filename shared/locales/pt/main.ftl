# The bot's own words (everything not written by the model). Commands stay in English.

start = Oi! Sou seu companheiro. É só me escrever como você escreveria para um amigo.

    /help mostra o que eu sei fazer.
reset-done = Certo, começando do zero. Deixei nossa conversa anterior de lado.
unsupported-message = Consigo ler texto, áudios e fotos, mas esse tipo de mensagem ainda não.
message-too-big = Desculpe, essa mensagem é longa demais para mim. Pode enviá-la em partes menores?
refused-channel = Este bot é para membros do nosso canal. Entre nele e envie sua mensagem de novo.
refused-private = Desculpe, este bot é privado.
unknown-command = Não conheço o comando /{ $name }. Tente /help.

access-allow-listed = Você tem acesso: está na lista de permitidos.
access-open = Você tem acesso: este bot é aberto a todos.
access-member = Você tem acesso: você é { $status ->
        [creator] criador
        [administrator] administrador
        [restricted] membro com restrições
       *[member] membro
    } do canal.
access-as-group = Você tem acesso: está escrevendo como este grupo.
access-as-channel = Você tem acesso: está escrevendo como o canal.
access-banned = Você não tem acesso: foi banido do canal.
access-not-member = Você ainda não tem acesso: entre no canal primeiro.
access-refused = Você não tem acesso a este bot.

persona-menu = Quem eu devo ser para você? Escolha um, ou descreva alguém com /persona custom Nome: descrição
persona-other-hint = Descreva quem eu devo ser: /persona custom Nome: descrição
persona-set = Certo! A partir de agora eu sou { $who }.
persona-custom-hint = Diga quem eu devo ser, por exemplo /persona custom Ana: minha irmã mais velha, que adora trilhas e tira sarro da minha comida
persona-too-long = Essa descrição é longa demais; mantenha-a abaixo de { $max } caracteres, por favor.
persona-noun-parent = seu pai ou sua mãe
persona-noun-spouse = seu cônjuge
persona-noun-child = seu filho ou sua filha
persona-noun-sibling = seu irmão ou sua irmã
persona-noun-friend = seu amigo
persona-noun-colleague = seu colega
persona-noun-other = outra pessoa (descreva)

new-style-done-heading = Contexto atualizado com sucesso!
new-style-done = { new-style-done-heading }
    Criado a partir de { $samples } das suas mensagens. Encaminhe para mim mensagens que você escreveu em outros lugares { $minutes ->
        [one] no próximo minuto
       *[other] nos próximos { $minutes } minutos
    } e eu aprendo com elas também.
sample-added = Adicionado às suas amostras de estilo: seu perfil agora se baseia em { $samples ->
        [one] { $samples } mensagem
       *[other] { $samples } mensagens
    }.
style-none = Ainda não aprendi seu estilo. Envie /new_style depois de conversarmos um pouco.
style-report-on = Seu estilo (a partir de { $samples ->
        [one] { $samples } mensagem
       *[other] { $samples } mensagens
    }): { $description }
    A imitação está ligada. /style off para desligar.
style-report-off = Seu estilo (a partir de { $samples ->
        [one] { $samples } mensagem
       *[other] { $samples } mensagens
    }): { $description }
    A imitação está desligada. /style on para ligar.
style-on = Certo, vou escrever no seu estilo de novo.
style-off = Certo, vou parar de imitar seu estilo. /style on traz de volta.
style-usage = Uso: /style, /style on ou /style off
new-style-too-few = Preciso de algumas mensagens suas antes de aprender seu estilo. Converse um pouco comigo e depois tente /new_style de novo.
memory-folded = Nossa conversa está ficando longa, então resumi a parte mais antiga em anotações. Continuo lembrando do que importa.


stopped = ⏹ Parado. O que eu já tinha escrito está acima; mande uma mensagem para continuar.
stopped-empty = ⏹ Parado antes de eu escrever qualquer coisa.
cancelling = Certo: se eu estiver escrevendo uma resposta, paro por aí.

transcript = 🎙 “{ $text }”
voice-on = Certo, vou responder também com áudios. /voice off desliga isso.
voice-off = Certo, só texto a partir de agora.
voice-usage = Uso: /voice on ou /voice off
settings-menu = Configurações. Toque para mudar:
group-admins-only = Só os administradores deste grupo podem mudar isso.
model-not-allowed = Esse modelo não está disponível.
setting-on = ligado
setting-off = desligado
setting-voice-replies = Respostas em áudio: { $state }
setting-transcripts = Mostrar transcrições: { $state }
setting-model = Modelo: { $model }
setting-model-default = padrão
