# Secret Manager secrets, created empty: you add each version with
# `gcloud secrets versions add` (docs/deploy.md), so no secret value ever
# passes through Terraform or its state. Each secret grants access to exactly
# the functions that read it, and to no one else.

resource "google_secret_manager_secret" "service_account_key" {
  secret_id = var.service_account_key_secret_id

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "service_account_key_chat_pubsub" {
  secret_id = google_secret_manager_secret.service_account_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.chat_pubsub.email}"
}

# scheduledDigest renews Workspace Events subscriptions as the app.
resource "google_secret_manager_secret_iam_member" "service_account_key_scheduled_digest" {
  secret_id = google_secret_manager_secret.service_account_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.scheduled_digest.email}"
}

resource "google_secret_manager_secret" "token_encryption_key" {
  secret_id = var.token_encryption_key_secret_id

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "token_encryption_key_chat_pubsub" {
  secret_id = google_secret_manager_secret.token_encryption_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.chat_pubsub.email}"
}

resource "google_secret_manager_secret_iam_member" "token_encryption_key_oauth_callback" {
  secret_id = google_secret_manager_secret.token_encryption_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.oauth_callback.email}"
}

resource "google_secret_manager_secret" "oauth_client_secret" {
  secret_id = var.oauth_client_secret_secret_id

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "oauth_client_secret_chat_pubsub" {
  secret_id = google_secret_manager_secret.oauth_client_secret.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.chat_pubsub.email}"
}

resource "google_secret_manager_secret_iam_member" "oauth_client_secret_oauth_callback" {
  secret_id = google_secret_manager_secret.oauth_client_secret.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.oauth_callback.email}"
}

# One secret per space that posts through an incoming webhook; the whole
# webhook URL is the secret.
resource "google_secret_manager_secret" "webhook" {
  for_each  = toset(var.webhook_space_ids)
  secret_id = "${var.webhook_secret_prefix}${each.key}"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "webhook_chat_pubsub" {
  for_each  = google_secret_manager_secret.webhook
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.chat_pubsub.email}"
}
