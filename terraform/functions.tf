# The four functions, all built from one package (scripts/package.sh writes
# it; Terraform zips and uploads it). Each function loads only its own module,
# chosen by FUNCTION_TARGET, which the platform sets to the entry point.

resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-${var.name_prefix}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  depends_on                  = [google_project_service.enabled]
}

data "archive_file" "source" {
  type        = "zip"
  source_dir  = local.source_dir
  output_path = "${local.source_dir}.zip"
}

# Named by content, so a changed package is a new object and a new build.
resource "google_storage_bucket_object" "source" {
  name   = "spacelog-${data.archive_file.source.output_md5}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

locals {
  build = {
    runtime         = "nodejs22"
    bucket          = google_storage_bucket.source.name
    object          = google_storage_bucket_object.source.name
    service_account = google_service_account.build.id
  }
}

# --- chatEvents: Chat's HTTP endpoint ----------------------------------------------

resource "google_cloudfunctions2_function" "chat_events" {
  name     = local.function_names.chat_events
  location = var.region

  build_config {
    runtime         = local.build.runtime
    entry_point     = "chatEvents"
    service_account = local.build.service_account

    source {
      storage_source {
        bucket = local.build.bucket
        object = local.build.object
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.chat_events.email
    ingress_settings                 = "ALLOW_ALL"
    timeout_seconds                  = 60
    available_memory                 = "512Mi"
    available_cpu                    = var.chat_events_cpu
    min_instance_count               = var.chat_events_min_instances
    max_instance_count               = var.chat_events_max_instances
    max_instance_request_concurrency = var.chat_events_concurrency
    all_traffic_on_latest_revision   = true
    environment_variables            = merge(local.env_common, local.env_chat_events)
  }

  depends_on = [google_project_iam_member.build_builder]
}

# Only Chat may call it (or everyone, for project-number tokens: see locals.tf).
resource "google_cloud_run_service_iam_member" "chat_events_chat" {
  service  = google_cloudfunctions2_function.chat_events.service_config[0].service
  location = var.region
  role     = "roles/run.invoker"
  member   = local.chat_invoker
}

# --- chatPubsub: interactions, Workspace Events, alerts and digest jobs -------------

resource "google_cloudfunctions2_function" "chat_pubsub" {
  name     = local.function_names.chat_pubsub
  location = var.region

  build_config {
    runtime         = local.build.runtime
    entry_point     = "chatPubsub"
    service_account = local.build.service_account

    source {
      storage_source {
        bucket = local.build.bucket
        object = local.build.object
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.chat_pubsub.email
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    timeout_seconds                  = 300
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    min_instance_count               = 0
    max_instance_count               = var.chat_pubsub_max_instances
    max_instance_request_concurrency = var.chat_pubsub_concurrency
    all_traffic_on_latest_revision   = true
    environment_variables            = merge(local.env_common, local.env_chat_pubsub)
  }

  depends_on = [google_project_iam_member.build_builder]
}

resource "google_cloud_run_service_iam_member" "chat_pubsub_push" {
  service  = google_cloudfunctions2_function.chat_pubsub.service_config[0].service
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pubsub_push.email}"
}

# --- scheduledDigest: one tick, one job per due space ---------------------------------

resource "google_cloudfunctions2_function" "scheduled_digest" {
  name     = local.function_names.scheduled_digest
  location = var.region

  build_config {
    runtime         = local.build.runtime
    entry_point     = "scheduledDigest"
    service_account = local.build.service_account

    source {
      storage_source {
        bucket = local.build.bucket
        object = local.build.object
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.scheduled_digest.email
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    timeout_seconds                  = 300
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    min_instance_count               = 0
    max_instance_count               = 2
    max_instance_request_concurrency = 1
    all_traffic_on_latest_revision   = true
    environment_variables            = merge(local.env_common, local.env_scheduled_digest)
  }

  depends_on = [google_project_iam_member.build_builder]
}

resource "google_cloud_run_service_iam_member" "scheduled_digest_push" {
  service  = google_cloudfunctions2_function.scheduled_digest.service_config[0].service
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pubsub_push.email}"
}

# --- oauthCallback: where Google sends users back after sign-in ------------------------

resource "google_cloudfunctions2_function" "oauth_callback" {
  name     = local.function_names.oauth_callback
  location = var.region

  build_config {
    runtime         = local.build.runtime
    entry_point     = "oauthCallback"
    service_account = local.build.service_account

    source {
      storage_source {
        bucket = local.build.bucket
        object = local.build.object
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.oauth_callback.email
    ingress_settings                 = "ALLOW_ALL"
    timeout_seconds                  = 60
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    min_instance_count               = 0
    max_instance_count               = 5
    max_instance_request_concurrency = 20
    all_traffic_on_latest_revision   = true
    environment_variables            = merge(local.env_common, local.env_oauth_callback)
  }

  depends_on = [google_project_iam_member.build_builder]
}

# Browsers arrive here unauthenticated; the code checks the single-use state.
resource "google_cloud_run_service_iam_member" "oauth_callback_public" {
  service  = google_cloudfunctions2_function.oauth_callback.service_config[0].service
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}
