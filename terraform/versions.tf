# Terraform and provider versions. `terraform init` downloads the providers;
# commit the `.terraform.lock.hcl` it writes so every operator gets the same.
terraform {
  # Cross-variable validation (chat_audience_kind, incident_delegated_user) needs 1.9.
  required_version = ">= 1.9"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 8.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app = "spacelog"
  }
}
