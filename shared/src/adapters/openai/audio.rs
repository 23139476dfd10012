//! Speech to text and text to speech.

use async_openai::types::audio::{
    AudioInput, CreateSpeechRequestArgs, CreateTranscriptionRequestArgs, SpeechModel,
    SpeechResponseFormat, Voice,
};

use super::{OpenAiChat, building, classify};
use crate::error::Result;
use crate::ports::{Speaker, Transcriber};

impl Transcriber for OpenAiChat {
    async fn transcribe(&self, audio: Vec<u8>, file_name: &str) -> Result<String> {
        let clients = self.clients().await?;
        let request = CreateTranscriptionRequestArgs::default()
            .file(AudioInput::from_vec_u8(file_name.to_owned(), audio))
            .model(self.settings.audio.transcription.clone())
            .build()
            .map_err(building)?;
        let response = clients
            .whole
            .audio()
            .transcription()
            .create(request)
            .await
            .map_err(classify)?;
        Ok(response.text)
    }
}

impl Speaker for OpenAiChat {
    async fn speak(&self, text: &str) -> Result<Vec<u8>> {
        let clients = self.clients().await?;
        // The endpoint takes at most 4096 characters.
        let input: String = text.chars().take(4096).collect();
        let request = CreateSpeechRequestArgs::default()
            .input(input)
            .model(SpeechModel::Other(self.settings.audio.speech.clone()))
            .voice(Voice::Other(self.settings.audio.voice.clone()))
            // OGG/Opus is what Telegram shows as a voice note.
            .response_format(SpeechResponseFormat::Opus)
            .build()
            .map_err(building)?;
        let response = clients
            .whole
            .audio()
            .speech()
            .create(request)
            .await
            .map_err(classify)?;
        Ok(response.bytes.to_vec())
    }
}
