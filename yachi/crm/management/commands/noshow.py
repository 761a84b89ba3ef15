from django.core.management.base import BaseCommand

from yachi.crm.noshow import services
from yachi.crm.noshow.report import backtest_lines


class Command(BaseCommand):
    help = (
        "No-show risk: `train` learns a new model version for the chain and for each clinic "
        "with enough history and prints its backtest against the patients' past no-show "
        "rate; `score` scores the coming two weeks and applies each clinic's policy."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "score"])

    def handle(self, *args, action, **options):
        if action == "train":
            written = services.models_train()
            if not written:
                self.stdout.write(
                    "No model trained: too little history of attended and missed visits."
                )
            for model in written:
                for line in backtest_lines(model):
                    self.stdout.write(line)
        else:
            self.stdout.write(f"{services.scores_refresh()} upcoming appointments scored")
