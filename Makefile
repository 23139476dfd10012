# `sam build` runs `make build-<LogicalId>` here (BuildMethod: makefile, with
# build_in_source from samconfig.toml): every target shares one cargo-lambda release
# build of all six functions for arm64, so dependencies compile once, not once per
# function. Parallel targets wait on cargo's lock, and the later ones find the build done.
CARGO_LAMBDA ?= cargo lambda
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
PACKAGES := webhook subscription-check processor sender style-refresh telegram-setup

.PHONY: lambdas
lambdas:
	$(CARGO_LAMBDA) build --release --arm64 $(addprefix -p ,$(PACKAGES))

define artifact
	cp $(TARGET_DIR)/lambda/$(1)/bootstrap $(ARTIFACTS_DIR)/bootstrap
endef

build-WebhookFunction: lambdas
	$(call artifact,webhook)
build-SubscriptionCheckFunction: lambdas
	$(call artifact,subscription-check)
build-ProcessorFunction: lambdas
	$(call artifact,processor)
build-SenderFunction: lambdas
	$(call artifact,sender)
build-StyleRefreshFunction: lambdas
	$(call artifact,style-refresh)
build-TelegramSetupFunction: lambdas
	$(call artifact,telegram-setup)
