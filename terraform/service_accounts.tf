# One runtime identity per function, each granted only what its function uses
# (Firestore here; topics in pubsub.tf; secrets in secrets.tf), plus the
# identities Pub/Sub pushes as, Cloud Build builds as, and the Chat app acts as.

resource "google_service_account" "chat_events" {
  account_id   = "${var.name_prefix}-events"
  display_name = "Spacelog chatEvents runtime"
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "chat_pubsub" {
  account_id   = "${var.name_prefix}-pubsub"
  display_name = "Spacelog chatPubsub runtime"
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "scheduled_digest" {
  account_id   = "${var.name_prefix}-digest"
  display_name = "Spacelog scheduledDigest runtime"
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "oauth_callback" {
  account_id   = "${var.name_prefix}-oauth"
  display_name = "Spacelog oauthCallback runtime"
  depends_on   = [google_project_service.enabled]
}

# Every function reads and writes the event log and projections, and only in
# Spacelog's database: the condition keeps other databases of the project out.
resource "google_project_iam_member" "firestore_user" {
  for_each = {
    chat_events      = google_service_account.chat_events.email
    chat_pubsub      = google_service_account.chat_pubsub.email
    scheduled_digest = google_service_account.scheduled_digest.email
    oauth_callback   = google_service_account.oauth_callback.email
  }

  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${each.value}"

  condition {
    title       = "spacelog-database-only"
    description = "Only Spacelog's Firestore database."
    expression  = "resource.name == \"projects/${var.project_id}/databases/${google_firestore_database.main.name}\""
  }
}

# The identity in the OIDC token Pub/Sub sends with each push; it may invoke
# chatPubsub and scheduledDigest and nothing else (functions.tf).
resource "google_service_account" "pubsub_push" {
  account_id   = "${var.name_prefix}-push"
  display_name = "Spacelog Pub/Sub push invoker"
  depends_on   = [google_project_service.enabled]
}

# Projects created before April 2021 need the Pub/Sub service agent to mint
# tokens for push identities; granting it on this one account is harmless.
resource "google_service_account_iam_member" "pubsub_push_token_creator" {
  service_account_id = google_service_account.pubsub_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${local.pubsub_service_agent}"
}

# Cloud Build builds the functions as this account rather than the Compute
# Engine default account, which new projects leave without the rights.
resource "google_service_account" "build" {
  account_id   = "${var.name_prefix}-build"
  display_name = "Spacelog function builds"
  depends_on   = [google_project_service.enabled]
}

resource "google_project_iam_member" "build_builder" {
  project = var.project_id
  role    = "roles/cloudbuild.builds.builder"
  member  = "serviceAccount:${google_service_account.build.email}"
}

# The Chat app's own identity for app authentication and domain-wide
# delegation. It has no roles: its key (which you create, never Terraform) goes
# into the service-account-key secret.
resource "google_service_account" "chat_app" {
  account_id   = "${var.name_prefix}-chat-app"
  display_name = "Spacelog Chat app"
  description  = "Calls the Chat API as the app. Its key lives in Secret Manager."
  depends_on   = [google_project_service.enabled]
}
