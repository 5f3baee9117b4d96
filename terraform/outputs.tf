# What you paste elsewhere after `terraform apply` (docs/deploy.md says where).

output "chat_app_connection" {
  description = "Paste into the Chat API configuration page, under Connection settings: the HTTP endpoint URL, or the Pub/Sub topic name (interaction_delivery decides which)."
  value       = var.interaction_delivery == "http" ? local.chat_events_url : google_pubsub_topic.interactions.id
}

output "chat_http_endpoint_url" {
  description = "chatEvents' URL, for HTTP delivery (and, with endpoint-url tokens, the audience Chat signs for)."
  value       = local.chat_events_url
}

output "chat_interactions_topic" {
  description = "The topic for Pub/Sub delivery of interaction events."
  value       = google_pubsub_topic.interactions.id
}

output "chat_audience" {
  description = "The token audience chatEvents expects: its URL, or the project number."
  value       = local.chat_audience
}

output "slash_commands" {
  description = "Command ids to enter for each slash command on the Chat API configuration page."
  value       = { for name, id in var.command_ids : "/${name}" => id }
}

output "oauth_redirect_uri" {
  description = "Authorized redirect URI of the OAuth client (APIs & Services > Credentials)."
  value       = local.oauth_callback_url
}

output "chat_app_service_account_email" {
  description = "The Chat app's service account: create its key into the service-account-key secret."
  value       = google_service_account.chat_app.email
}

output "chat_app_service_account_client_id" {
  description = "The Chat app service account's unique id: the client id for domain-wide delegation."
  value       = google_service_account.chat_app.unique_id
}

output "secrets_to_fill" {
  description = "Secrets created empty; add a version to each with gcloud secrets versions add."
  value = concat(
    [
      google_secret_manager_secret.service_account_key.secret_id,
      google_secret_manager_secret.token_encryption_key.secret_id,
      google_secret_manager_secret.oauth_client_secret.secret_id,
    ],
    [for s in google_secret_manager_secret.webhook : s.secret_id],
  )
}

output "workspace_events_topic" {
  description = "Topic Workspace Events subscriptions deliver to (Spacelog creates the subscriptions itself)."
  value       = google_pubsub_topic.workspace_events.id
}

output "alerts_notification_channel" {
  description = "Monitoring notification channel to add to alert policies that should open incidents."
  value       = one(google_monitoring_notification_channel.alerts[*].id)
}

output "dead_letter_subscriptions" {
  description = "Where undeliverable messages wait, by source topic."
  value       = { for key, s in google_pubsub_subscription.dead_letter : key => s.id }
}
