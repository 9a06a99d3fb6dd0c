from django.apps import AppConfig


def public_content_saved(sender, **kwargs):
    from core.page_cache import public_pages_changed

    public_pages_changed()


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core import freshness
        from partnerships.models import Partnership

        from . import models
        from .models import PublishedVersion

        # What the public pages show lives in these two models: a save of either, through a
        # service or the admin, puts every page in the front cache out of date.
        for model in (PublishedVersion, Partnership):
            for signal in (post_save, post_delete):
                signal.connect(public_content_saved, sender=model)

        # Each row of these belongs to one partnership's review cycle (core/freshness.py).
        freshness.belong_to_a_partnership(
            models.ReviewCycle,
            models.PeerReview,
            models.ReviewTransition,
            models.SelfReview,
            models.ReviewTeamMember,
            models.ConflictDeclaration,
            models.Finding,
            models.Evidence,
            models.Challenge,
            models.ChallengeReply,
            models.SafeguardingConcern,
            models.Workshop,
            models.Action,
            models.PartnershipReview,
            models.PriorityNarrative,
            models.SchoolSummary,
            models.PublicationTransition,
            models.PublishedVersion,
        )
