# Topics, the push subscriptions that deliver them to the functions, and a
# dead-letter topic (with a subscription that keeps what lands there) per
# subscription. Subscriptions are managed here rather than by Eventarc
# triggers so that each one gets its retry policy and dead-letter policy.

resource "google_pubsub_topic" "interactions" {
  name       = "${var.name_prefix}-interactions"
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic" "workspace_events" {
  name       = "${var.name_prefix}-workspace-events"
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic" "alerts" {
  name       = "${var.name_prefix}-alerts"
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic" "digest_ticks" {
  name       = "${var.name_prefix}-digest-ticks"
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic" "digest_jobs" {
  name       = "${var.name_prefix}-digest-jobs"
  depends_on = [google_project_service.enabled]
}

# --- Who may publish ------------------------------------------------------------

# Chat publishes interaction events (Pub/Sub delivery) as its push identity,
# or as the add-on service agent for add-on apps.
resource "google_pubsub_topic_iam_member" "interactions_chat" {
  topic  = google_pubsub_topic.interactions.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${local.chat_publisher}"
}

# Workspace Events subscriptions on Chat spaces publish as Chat's push identity;
# add-on apps also grant their service agent.
resource "google_pubsub_topic_iam_member" "workspace_events_chat" {
  for_each = toset(distinct(["chat-api-push@system.gserviceaccount.com", local.chat_publisher]))
  topic    = google_pubsub_topic.workspace_events.id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${each.value}"
}

resource "google_pubsub_topic_iam_member" "alerts_chat_events" {
  topic  = google_pubsub_topic.alerts.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.chat_events.email}"
}

# /incident over Pub/Sub delivery: chatPubsub publishes the command as chatEvents does.
resource "google_pubsub_topic_iam_member" "alerts_chat_pubsub" {
  topic  = google_pubsub_topic.alerts.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.chat_pubsub.email}"
}

resource "google_pubsub_topic_iam_member" "digest_jobs_scheduled_digest" {
  topic  = google_pubsub_topic.digest_jobs.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.scheduled_digest.email}"
}

# --- Delivery to the functions ----------------------------------------------------

locals {
  # Each consumed topic, the function it is pushed to, and how long that
  # function may take (Pub/Sub waits up to the acknowledgement deadline).
  push_subscriptions = {
    interactions = {
      topic    = google_pubsub_topic.interactions
      function = google_cloudfunctions2_function.chat_pubsub
    }
    workspace_events = {
      topic    = google_pubsub_topic.workspace_events
      function = google_cloudfunctions2_function.chat_pubsub
    }
    alerts = {
      topic    = google_pubsub_topic.alerts
      function = google_cloudfunctions2_function.chat_pubsub
    }
    digest_jobs = {
      topic    = google_pubsub_topic.digest_jobs
      function = google_cloudfunctions2_function.chat_pubsub
    }
    digest_ticks = {
      topic    = google_pubsub_topic.digest_ticks
      function = google_cloudfunctions2_function.scheduled_digest
    }
  }
}

resource "google_pubsub_subscription" "push" {
  for_each = local.push_subscriptions

  name                       = "${each.value.topic.name}-push"
  topic                      = each.value.topic.id
  ack_deadline_seconds       = min(600, each.value.function.service_config[0].timeout_seconds)
  message_retention_duration = "604800s"

  # Never delete the subscription for inactivity (the default is 31 days).
  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  push_config {
    # The functions framework turns a push whose path names the topic into a
    # CloudEvent with source //pubsub.googleapis.com/projects/P/topics/T.
    push_endpoint = "${each.value.function.service_config[0].uri}/${each.value.topic.id}"

    oidc_token {
      service_account_email = google_service_account.pubsub_push.email
      audience              = each.value.function.service_config[0].uri
    }
  }

  depends_on = [
    google_cloud_run_service_iam_member.chat_pubsub_push,
    google_cloud_run_service_iam_member.scheduled_digest_push,
  ]
}

# The Pub/Sub service agent acknowledges what it moves to a dead-letter topic.
resource "google_pubsub_subscription_iam_member" "push_dead_lettering" {
  for_each     = google_pubsub_subscription.push
  subscription = each.value.id
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:${local.pubsub_service_agent}"
}

# --- Dead letters --------------------------------------------------------------------

resource "google_pubsub_topic" "dead_letter" {
  for_each   = local.push_subscriptions
  name       = "${each.value.topic.name}-dead-letter"
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic_iam_member" "dead_letter_pubsub" {
  for_each = google_pubsub_topic.dead_letter
  topic    = each.value.id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${local.pubsub_service_agent}"
}

# A topic without a subscription drops what is published to it: these keep
# dead letters for operators to inspect and replay (31 days, the most Pub/Sub
# keeps). Nothing consumes them, so they need no dead-letter policy of their own.
resource "google_pubsub_subscription" "dead_letter" {
  for_each = google_pubsub_topic.dead_letter

  name                       = "${each.value.name}-hold"
  topic                      = each.value.id
  ack_deadline_seconds       = 60
  message_retention_duration = "2678400s"
  retain_acked_messages      = true

  expiration_policy {
    ttl = ""
  }
}
