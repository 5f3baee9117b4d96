# Cloud Monitoring delivers alert notifications to the alerts topic through
# this channel; attach it to the alert policies that should open incidents.
resource "google_monitoring_notification_channel" "alerts" {
  count        = var.create_alerts_notification_channel ? 1 : 0
  display_name = "Spacelog incidents (${google_pubsub_topic.alerts.name})"
  type         = "pubsub"

  labels = {
    topic = google_pubsub_topic.alerts.id
  }

  depends_on = [google_project_service.enabled]
}

# Monitoring publishes as its notification service agent, which it creates
# with the project's first Pub/Sub channel.
resource "google_pubsub_topic_iam_member" "alerts_monitoring" {
  count  = var.create_alerts_notification_channel ? 1 : 0
  topic  = google_pubsub_topic.alerts.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${local.monitoring_service_agent}"

  depends_on = [google_monitoring_notification_channel.alerts]
}
