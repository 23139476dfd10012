//! The HTTP clients' TLS set-up, built once per process and only when a request needs it.
//!
//! A TLS configuration is the costliest thing a function builds: the platform's root
//! certificates are read from disk and parsed, 2-4 ms of CPU (more than a bare Lambda
//! runtime's whole start-up). Left to their defaults, reqwest reads them again for each
//! client it builds, and the AWS SDK parses them for each service client as it is
//! constructed (its HTTP client builds a connector then, to load the roots early) and again
//! at each client's first request. Here reqwest's configuration is built once and shared by
//! every reqwest client, and the SDK's service clients share one HTTP client whose
//! connector is built at the first AWS request.
//!
//! The two stacks cannot share one configuration: the SDK builds its rustls configuration
//! itself and takes only a trust store, and a custom connector would mean re-implementing
//! its timeouts and error classification.

use std::sync::LazyLock;

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::Provider;
use aws_smithy_http_client::tls::rustls_provider::CryptoMode;
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use rustls_platform_verifier::BuilderVerifierExt;

/// What reqwest builds for itself when given no TLS configuration (its `rustls` feature, no
/// `http2`): aws-lc-rs, TLS 1.2 and 1.3, the platform's verifier, SNI, HTTP/1.1 by ALPN.
/// `Err` if the platform has no usable root certificates.
static REQWEST_TLS: LazyLock<Result<rustls::ClientConfig, rustls::Error>> = LazyLock::new(|| {
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth();
    // reqwest offers h2 only with its `http2` feature, which this workspace leaves off.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
});

/// A reqwest client builder on the process's one TLS configuration (built on the first
/// call). Should that configuration fail, reqwest builds its own, which reports why.
pub fn reqwest_builder() -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder();
    match &*REQWEST_TLS {
        // A clone shares the verifier, its parsed roots, and the session cache.
        Ok(config) => builder.tls_backend_preconfigured(config.clone()),
        Err(_) => builder,
    }
}

/// The AWS SDK's default HTTPS client (hyper 1, rustls on aws-lc-rs, the platform's roots,
/// proxies from the environment) as every service client would build it for itself, but
/// one for all of them, and without the TLS set-up at client construction.
pub fn aws_http_client() -> SharedHttpClient {
    // The closure is aws-smithy-runtime's own default (`default_https_client`), which is
    // not public.
    let client = Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    });
    SharedHttpClient::new(Deferred(client))
}

/// An SDK HTTP client that builds its connector (and so its TLS configuration) at the first
/// request rather than when a service client is constructed. The inner client caches
/// connectors by timeout settings, so service clients with the same timeouts share one.
#[derive(Debug)]
struct Deferred(SharedHttpClient);

impl HttpClient for Deferred {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    // `validate_base_client_config` is the trait's no-op: the inner client's builds a whole
    // connector there, for each service client, only to load the roots before any request.

    fn validate_final_config(
        &self,
        components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        self.0.validate_final_config(components, cfg)
    }

    /// Kept: it goes into the SDK's user agent.
    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.0.connector_metadata()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reqwest_clients_take_the_shared_configuration() {
        let config = REQWEST_TLS
            .as_ref()
            .expect("the platform has root certificates");
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
        assert!(reqwest_builder().build().is_ok());
    }

    #[test]
    fn the_sdk_client_keeps_the_metadata_of_the_one_it_wraps() {
        let client = aws_http_client();
        let metadata = client.connector_metadata().expect("hyper's metadata");
        assert_eq!(metadata.name(), "hyper");
    }
}
