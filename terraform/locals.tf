# Names, addresses and the environment of each function.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  project_number = data.google_project.this.number
  source_dir     = var.source_dir != "" ? var.source_dir : "${path.module}/../dist/package"

  function_names = {
    chat_events      = "${var.name_prefix}-chat-events"
    chat_pubsub      = "${var.name_prefix}-chat-pubsub"
    scheduled_digest = "${var.name_prefix}-scheduled-digest"
    oauth_callback   = "${var.name_prefix}-oauth-callback"
  }

  # Cloud Run's deterministic address of a service, known before it exists, so
  # a function's environment can name its own URL (its uri attribute cannot).
  # https://cloud.google.com/run/docs/triggering/https-request#deterministic
  chat_events_url    = "https://${local.function_names.chat_events}-${local.project_number}.${var.region}.run.app"
  oauth_callback_url = "https://${local.function_names.oauth_callback}-${local.project_number}.${var.region}.run.app"

  # Who Chat is when it calls chatEvents and when it publishes interactions.
  addon_service_agent = var.addon_service_agent != "" ? var.addon_service_agent : "service-${local.project_number}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"
  chat_caller         = var.chat_app_kind == "add-on" ? local.addon_service_agent : "chat@system.gserviceaccount.com"
  chat_publisher      = var.chat_app_kind == "add-on" ? local.addon_service_agent : "chat-api-push@system.gserviceaccount.com"

  # Project-number tokens are signed by Chat itself, not ID tokens IAM can check,
  # so only that choice leaves chatEvents open to everyone; the code still
  # verifies every token.
  chat_invoker = var.chat_app_kind == "classic" && var.chat_audience_kind == "project-number" ? "allUsers" : "serviceAccount:${local.chat_caller}"

  chat_audience_kind = var.chat_app_kind == "add-on" ? "add-on" : var.chat_audience_kind
  chat_audience      = local.chat_audience_kind == "project-number" ? local.project_number : local.chat_events_url

  # Google-managed identities that act on Spacelog's resources.
  pubsub_service_agent     = "service-${local.project_number}@gcp-pubsub.iam.gserviceaccount.com"
  monitoring_service_agent = "service-${local.project_number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com"

  # Settings every function shares (none of them secret). Names are settings
  # in shared/config.ts; a test keeps them in step.
  env_common = {
    NODE_ENV                    = "production"
    GOOGLE_CLOUD_PROJECT        = var.project_id
    GOOGLE_CLOUD_PROJECT_NUMBER = local.project_number
    FUNCTION_REGION             = var.region
    LOG_LEVEL                   = var.log_level
    FIRESTORE_DATABASE          = google_firestore_database.main.name
    STORE_MESSAGE_TEXT          = tostring(var.store_message_text)
    REJECTED_RETENTION_DAYS     = tostring(var.rejected_retention_days)
    ALERTS_TOPIC                = google_pubsub_topic.alerts.name
    DIGEST_JOBS_TOPIC           = google_pubsub_topic.digest_jobs.name
    WORKSPACE_EVENTS_TOPIC      = google_pubsub_topic.workspace_events.name
    COMMAND_ID_HELP             = var.command_ids.help
    COMMAND_ID_DIGEST           = var.command_ids.digest
    COMMAND_ID_INCIDENT         = var.command_ids.incident
    COMMAND_ID_SIGNOUT          = var.command_ids.signout
    COMMAND_ID_MYSPACES         = var.command_ids.myspaces
    OAUTH_CLIENT_ID             = var.oauth_client_id
    OAUTH_REDIRECT_URL          = local.oauth_callback_url
    CHAT_APP_SCOPES_APPROVED    = tostring(var.chat_app_scopes_approved)
    INCIDENT_SPACE_MODE         = var.incident_space_mode
    INCIDENT_DELEGATED_USER     = var.incident_delegated_user
    INCIDENT_RESPONDERS         = join(",", var.incident_responders)
    DIGEST_QUIET                = var.digest_quiet
    DIGEST_DEFAULT_TIME         = var.digest_default_time
  }

  # What only one function needs; secret names go only where the secret is read.
  env_chat_events = {
    CHAT_AUDIENCE_KIND       = local.chat_audience_kind
    CHAT_AUDIENCE            = local.chat_audience
    CHAT_ADDON_SERVICE_AGENT = var.chat_app_kind == "add-on" ? local.addon_service_agent : ""
  }
  env_chat_pubsub = {
    SERVICE_ACCOUNT_KEY_SECRET  = google_secret_manager_secret.service_account_key.secret_id
    TOKEN_ENCRYPTION_KEY_SECRET = google_secret_manager_secret.token_encryption_key.secret_id
    OAUTH_CLIENT_SECRET_SECRET  = google_secret_manager_secret.oauth_client_secret.secret_id
    WEBHOOK_SECRET_PREFIX       = var.webhook_secret_prefix
  }
  env_scheduled_digest = {
    SERVICE_ACCOUNT_KEY_SECRET = google_secret_manager_secret.service_account_key.secret_id
  }
  env_oauth_callback = {
    OAUTH_CLIENT_SECRET_SECRET  = google_secret_manager_secret.oauth_client_secret.secret_id
    TOKEN_ENCRYPTION_KEY_SECRET = google_secret_manager_secret.token_encryption_key.secret_id
  }
}
