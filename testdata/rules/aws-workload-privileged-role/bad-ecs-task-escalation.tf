resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" }]
  })
}

resource "aws_ecs_task_definition" "worker" {
  family                = "worker"
  task_role_arn         = aws_iam_role.worker.arn # expect: aws-workload-privileged-role
  container_definitions = jsonencode([{ name = "worker", image = "registry.example.com/worker:1.0" }])
}

resource "aws_iam_instance_profile" "worker" {
  name = "worker"
  role = aws_iam_role.worker.name # expect: aws-workload-privileged-role
}
